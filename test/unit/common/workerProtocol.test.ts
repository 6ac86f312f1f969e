import { describe, expect, it } from 'vitest';
import { localProviders } from '../../../main/core/contract/types';
import { providerNames } from '../../../common/providers/providers';
import { fromWorkerSchema, MalformedMessageError, parseMessage, toWorkerSchema } from '../../../common/worker/protocol';

const job = {
  workDir: '/tmp/job/checkpoints',
  refRgb: '/tmp/job/portrait.rgb',
  width: 256,
  height: 320,
  modelAudio: '/tmp/job/voice-16k.wav',
  prompt: 'a person talking',
  negativePrompt: '',
  fps: 16,
  framesPerChunk: 80,
  seed: 11,
  steps: 40,
  shift: 3,
  guideScale: 4.5,
  solver: 'unipc',
  firstBlockCache: { enabled: true, threshold: 0.05 },
};

const fromWorker = (raw: unknown) => parseMessage(fromWorkerSchema, raw, 'The inference worker');
const toWorker = (raw: unknown) => parseMessage(toWorkerSchema, raw, 'The studio');

describe('worker messages are parsed on arrival', () => {
  it('well-formed messages pass through unchanged, both ways', () => {
    expect(toWorker({ type: 'run', job })).toEqual({ type: 'run', job });
    expect(toWorker({ type: 'cancel' })).toEqual({ type: 'cancel' });
    const clip = { type: 'clip', clip: 0, rgbFile: '/tmp/job/checkpoints/clip-0000.rgb', width: 256, height: 320, frames: 77, resumed: false };
    expect(fromWorker(clip)).toEqual(clip);
    const loaded = { type: 'loaded', provider: { active: 'cpu', skipped: [{ provider: 'cuda', reason: 'not installed' }], warning: null } };
    expect(fromWorker(loaded)).toEqual(loaded);
  });

  it('a malformed message names its sender, its type and the first thing wrong', () => {
    expect(() => fromWorker({ type: 'progress', stage: 'Sampling', step: '1', steps: 4, chunk: 0, chunks: 1, etaMs: null })).toThrow(
      'The inference worker sent a malformed "progress" message (step: Invalid input: expected number, received string).',
    );
    expect(() => fromWorker({ type: 'loaded', provider: { active: 'tpu', skipped: [], warning: null } })).toThrow(
      'The inference worker sent a malformed "loaded" message (provider.active: Invalid option: expected one of "cuda"|"dml"|"coreml"|"cpu").',
    );
    expect(() => fromWorker('junk')).toThrow('The inference worker sent a malformed message (Invalid input: expected object, received string).');
    expect(() => toWorker({ type: 'run', job: { ...job, width: 250 } })).toThrow('The studio sent a malformed "run" message (job.width: must be a multiple of 64).');
    expect(() => toWorker({ type: 'cancel', now: true })).toThrow(MalformedMessageError);
    expect(() => fromWorker({ type: 'hello' })).toThrow(/malformed "hello" message \(type: /);
  });

  it('the contract lists the same execution providers as the worker uses', () => {
    // The contract is shared with the page and cannot import common/: this keeps the two lists one.
    expect([...localProviders]).toEqual([...providerNames]);
  });
});
