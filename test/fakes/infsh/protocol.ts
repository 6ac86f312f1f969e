/**
 * The wire shapes of the inference.sh API as the fake serves them (research/infsh-api.md §2-5).
 * Kept apart from our client's types on purpose: the fake is written from the reference, not
 * from our code, so a client bug cannot hide behind a shared type.
 */
export const STATUS = {
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
export type StatusName = keyof typeof STATUS;
export const statusName = (n: number): StatusName => (Object.keys(STATUS) as StatusName[]).find((k) => STATUS[k] === n) ?? 'unknown';

export interface TaskLog {
  id: string;
  created_at: string;
  updated_at: string;
  task_id: string;
  log_type: number;
  content: string;
}

export interface TaskEvent {
  id: string;
  created_at: string;
  event_time: string;
  task_id: string;
  status: number;
}

export interface TaskDTO {
  id: string;
  short_id: string;
  created_at: string;
  updated_at: string;
  status: number | string;
  app_id: string;
  input: Record<string, unknown>;
  output: Record<string, unknown> | null;
  error?: string;
  events: TaskEvent[];
  logs: TaskLog[];
  session_id: string | null;
}

export interface FileDTO {
  id: string;
  short_id: string;
  created_at: string;
  updated_at: string;
  path: string;
  remote_path: string;
  upload_url: string;
  uri: string;
  content_type: string;
  size: number;
  filename: string;
}
