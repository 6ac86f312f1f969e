export const GB = 2 ** 30;

/** Memory in whole GiB, as the memory refusals say it ("24 GB"): the estimates are rough, decimals would claim more. */
export const wholeGigabytes = (bytes: number): string => `${Math.round(bytes / GB)} GB`;
