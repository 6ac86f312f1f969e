/**
 * The abort reason used when the studio itself is closing. Engines tell it apart from a user's
 * cancel: a cloud task is left running (it is re-attached at the next start), not cancelled.
 */
export const SHUTDOWN_REASON = 'studio-shutdown';

export const isShutdown = (signal: AbortSignal): boolean => signal.aborted && signal.reason === SHUTDOWN_REASON;
