import type { RemoteSubmission } from '../../library/jobRepository';
import type { CloudHttp } from './cloudHttp';
import type { RemoteTask } from './taskFollower';

/** One page of `POST /tasks/list` (research/infsh-api.md §13); the server sends more fields. */
interface TaskListPage {
  items?: RemoteTask[] | null;
  next_cursor?: string | null;
  has_next?: boolean;
}

/** Server clocks differ from ours: look this far before the submit began. */
const CLOCK_SKEW_MS = 10 * 60 * 1000;
const PAGE_SIZE = 50;
const MAX_PAGES = 20;

/**
 * Finds the task a run request created when the studio died before reading the answer. The
 * job's own uploaded file URIs identify it (no other task can carry them). Lists the newest
 * tasks created since the submit began (the server may ignore the filter, so the date and the
 * URIs are checked here too) and returns the matching task's id, or null when the list shows
 * the run never arrived.
 */
export async function findSubmittedTask(http: CloudHttp, submission: RemoteSubmission, signal: AbortSignal): Promise<string | null> {
  const since = submission.startedAt - CLOCK_SKEW_MS;
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body: Record<string, unknown> = {
      limit: PAGE_SIZE,
      filters: [{ field: 'created_at', operator: 'gte', value: new Date(since).toISOString() }],
      sort: [{ field: 'created_at', dir: 'desc' }],
      ...(cursor ? { cursor } : {}),
    };
    const answer = await http.request<TaskListPage>('POST', '/tasks/list', { idempotent: true, body, signal });
    const items = Array.isArray(answer?.items) ? answer.items : [];
    const match = items.find((t) => carriesFiles(t, submission.files));
    if (match) return match.id;
    const older = items.some((t) => createdMs(t) !== null && (createdMs(t) as number) < since);
    if (older || !answer?.has_next || !answer.next_cursor) return null;
    cursor = answer.next_cursor;
  }
  return null;
}

function carriesFiles(task: RemoteTask, files: Record<string, string>): boolean {
  const input = task.input;
  if (!input || typeof input !== 'object' || typeof task.id !== 'string') return false;
  const entries = Object.entries(files);
  return entries.length > 0 && entries.every(([field, uri]) => uriOf((input as Record<string, unknown>)[field]) === uri);
}

/** A file input is sent as a URI string; the service may echo it as a file object. */
function uriOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { uri?: unknown }).uri === 'string') return (v as { uri: string }).uri;
  return null;
}

function createdMs(task: RemoteTask): number | null {
  const t = typeof task.created_at === 'string' ? Date.parse(task.created_at) : NaN;
  return Number.isFinite(t) ? t : null;
}
