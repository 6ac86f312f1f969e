import type { z } from 'zod';

export interface ParamIssue {
  field: string;
  message: string;
}

/**
 * Each issue with the field it belongs to. The schemas' own messages already start with the
 * field ("clip_len 76: must be 4n+1, like 73 or 77"); zod's generic ones (an unknown field) get
 * the field put in front.
 */
export function paramIssues(issues: readonly z.core.$ZodIssue[]): ParamIssue[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'parameters');
    if (issue.code === 'unrecognized_keys') return { field, message: `${field}: not a parameter of this app; remove it` };
    const message = issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
    return { field, message };
  });
}

/**
 * The same issues worded for the page: each message starts with the label the person sees next
 * to the field ("Frames per second: must be at least 8"), not the API name ("fps: ...").
 */
export function labelledIssues(issues: readonly z.core.$ZodIssue[], labels: Readonly<Record<string, { label: string } | undefined>>): ParamIssue[] {
  return paramIssues(issues).map(({ field, message }) => {
    const label = labels[field]?.label;
    return { field, message: label && message.startsWith(field) ? `${label}${message.slice(field.length)}` : message };
  });
}
