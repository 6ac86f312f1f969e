/**
 * Task statuses, current numbering (research/infsh-api.md §4). 9 is "uploading" (the result is
 * not final yet); only 10, 11 and 12 end a task. Older docs and the app pages' webhook example use
 * a numbering where 9 meant completed: that is not what the server sends now.
 */
export const TASK_STATUS = {
  unknown: 0,
  received: 1,
  queued: 2,
  dispatched: 3,
  preparing: 4,
  serving: 5,
  setting_up: 6,
  running: 7,
  cancelling: 8,
  uploading: 9,
  completed: 10,
  failed: 11,
  cancelled: 12,
} as const;

export type TaskStatusName = keyof typeof TASK_STATUS;
const byNumber = new Map<number, TaskStatusName>(Object.entries(TASK_STATUS).map(([k, v]) => [v, k as TaskStatusName]));

/** Accepts the number or the name ("setting_up", "COMPLETED"); anything else is unknown. */
export function parseStatus(raw: unknown): TaskStatusName {
  if (typeof raw === 'number') return byNumber.get(raw) ?? 'unknown';
  if (typeof raw === 'string') {
    const k = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
    if (k in TASK_STATUS) return k as TaskStatusName;
    if (/^\d+$/.test(k)) return byNumber.get(Number(k)) ?? 'unknown';
  }
  return 'unknown';
}

export const isTerminal = (s: TaskStatusName): boolean => s === 'completed' || s === 'failed' || s === 'cancelled';

/** Monotone order, so a stale update never moves a task backwards. */
export const statusRank = (s: TaskStatusName): number => TASK_STATUS[s];

/** What the job list says while the cloud works (the apps report no percentage). */
export const statusStage: Record<TaskStatusName, string> = {
  unknown: 'Waiting for the cloud',
  received: 'Submitted',
  queued: 'Queued in the cloud',
  dispatched: 'Assigned to a GPU',
  preparing: 'Preparing the GPU',
  serving: 'Preparing the GPU',
  setting_up: 'Loading the model',
  running: 'Rendering',
  cancelling: 'Cancelling',
  uploading: 'Saving the result',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Coarse progress from the status alone, for the job's bar between real byte counts. */
export const statusFraction: Record<TaskStatusName, number> = {
  unknown: 0.1,
  received: 0.12,
  queued: 0.15,
  dispatched: 0.2,
  preparing: 0.25,
  serving: 0.27,
  setting_up: 0.3,
  running: 0.4,
  cancelling: 0.4,
  uploading: 0.85,
  completed: 0.9,
  failed: 0,
  cancelled: 0,
};
