/** What a person reads when something fails: the core's message as written, never a stack. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  if (typeof e === 'string') return e;
  return 'Something went wrong. Try again; if it keeps happening, check the studio log.';
}
