import type { WorkerErrorCode } from '../../common/worker/protocol';

/**
 * What kind of failure an ONNX Runtime error is. ORT reports failed allocations only as text
 * (BFCArena "Failed to allocate memory", std::bad_alloc), so this is the one place that reads it:
 * from here on the kind travels as data (the worker's error code), never re-parsed.
 */
export function ortFailureCode(e: unknown): Extract<WorkerErrorCode, 'out_of_memory' | 'failed'> {
  const text = e instanceof Error ? e.message : String(e);
  return /Failed to allocate memory|bad_alloc|out of memory/i.test(text) ? 'out_of_memory' : 'failed';
}
