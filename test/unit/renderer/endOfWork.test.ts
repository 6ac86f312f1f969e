import { describe, expect, it } from 'vitest';
import { EndOfWork } from '../../../renderer/src/endOfWork';

const job = (id: string, status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled', finishedAt: number | null = null) => ({ id, status, finishedAt });
const idle = { running: 0, waiting: 0 };

describe('the end-of-work sound', () => {
  it('plays once when the last two renders of a batch finish together and both answers say the queue is idle', () => {
    const end = new EndOfWork();
    expect(end.onJob(job('a', 'running'))).toBeNull();
    expect(end.onJob(job('a', 'completed', 1))).toBe('ask');
    expect(end.onJob(job('b', 'completed', 2))).toBe('ask');
    expect(end.onCounts(idle)).toBe(true);
    expect(end.onCounts(idle)).toBe(false);
  });

  it('not while work runs or waits; again once new work has started and ended', () => {
    const end = new EndOfWork();
    expect(end.onJob(job('a', 'completed', 1))).toBe('ask');
    expect(end.onCounts({ running: 1, waiting: 0 })).toBe(false);
    expect(end.onCounts({ running: 0, waiting: 3 })).toBe(false);
    expect(end.onJob(job('b', 'completed', 2))).toBe('ask');
    expect(end.onCounts(idle)).toBe(true);
    expect(end.onJob(job('c', 'queued'))).toBeNull();
    expect(end.onJob(job('c', 'completed', 3))).toBe('ask');
    expect(end.onCounts(idle)).toBe(true);
  });

  it('a failure sounds each time, an event repeated for the same ending is heard once, and a cancel is silent', () => {
    const end = new EndOfWork();
    expect(end.onJob(job('a', 'failed', 1))).toBe('failed');
    expect(end.onJob(job('a', 'failed', 1))).toBeNull();
    expect(end.onJob(job('b', 'completed', 2))).toBe('ask');
    expect(end.onJob(job('b', 'completed', 2))).toBeNull();
    expect(end.onJob(job('c', 'cancelled', 3))).toBeNull();
  });
});
