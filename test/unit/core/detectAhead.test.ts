import { describe, expect, it } from 'vitest';
import { detectAhead, plannedFrames } from '../../../main/core/engines/local/detectAhead';

async function* source(count: number, read: number[]): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) {
    read.push(i);
    yield Buffer.from([i]);
  }
}

describe('the frames an Animate preparation reads', () => {
  it('are the ones the plan uses, each once, and reading stops after the last', async () => {
    const read: number[] = [];
    const got: number[] = [];
    for await (const f of plannedFrames(source(10, read), [0, 0, 2, 3, 3, 7])) got.push(f.src);
    expect(got).toEqual([0, 2, 3, 7]);
    expect(read).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("come with their detections in order, the next one asked for before the caller gets this one", async () => {
    const events: string[] = [];
    const detect = async (rgb: Buffer) => {
      events.push(`detect ${rgb[0]}`);
      return rgb[0]! * 10;
    };
    const frames = plannedFrames(source(4, []), [0, 1, 2, 3]);
    for await (const f of detectAhead(frames, detect)) {
      events.push(`prepare ${f.src}`);
      expect(f.detection).toBe(f.src * 10);
    }
    expect(events).toEqual(['detect 0', 'detect 1', 'prepare 0', 'detect 2', 'prepare 1', 'detect 3', 'prepare 2', 'prepare 3']);
  });

  it('a detection that fails while the frame before it is prepared fails the preparation at that frame', async () => {
    const detect = (rgb: Buffer) => (rgb[0] === 2 ? Promise.reject(new Error('the worker stopped')) : Promise.resolve(rgb[0]!));
    const prepared: number[] = [];
    const run = async () => {
      for await (const f of detectAhead(plannedFrames(source(5, []), [0, 1, 2, 3, 4]), detect)) prepared.push(f.src);
    };
    await expect(run()).rejects.toThrow('the worker stopped');
    expect(prepared).toEqual([0, 1]);
  });
});
