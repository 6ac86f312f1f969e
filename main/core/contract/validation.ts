import type { z } from 'zod';

/** Turns zod issues into one readable sentence per problem, naming the field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** No request needs more nesting than this; a deeper input is refused before any schema walks it. */
export const MAX_INPUT_DEPTH = 32;

/**
 * True when arrays/objects nest deeper than `max`. Walks with an explicit stack, so a hostile
 * 5,000-deep value cannot overflow the call stack here (JSON.stringify and zod would).
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop() as { v: unknown; depth: number };
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}
