/** An id made before ids stopped starting with "-" looks like 16 id characters after the dash. */
const DASH_ID = /^-[A-Za-z0-9_-]{15}$/;

/**
 * Node's parser names only the first letter of an unknown option ("-A"). When the argument is an id
 * from an older library, say so with the whole argument and the command line that works.
 */
export function dashIdHint(command: string, args: readonly string[]): string | null {
  const id = args.find((a) => DASH_ID.test(a));
  if (!id) return null;
  const others = args.filter((a) => a !== id);
  return `"${id}" starts with "-", so it reads as an option. Put an id that starts with "-" last, after "--": wan-studio ${[command, ...others, '--', id].join(' ')}`;
}
