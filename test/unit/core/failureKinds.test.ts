import { describe, expect, it } from 'vitest';
import { exitReason } from '../../../main/core/engines/local/workerDriver';
import { ortFailureCode } from '../../../native/ort/ortFailure';

const crashed = { code: 1, signal: null };

describe('what a failure is called', () => {
  it('a worker whose last words tell of a failed allocation ran out of memory; other words that merely contain "oom" are a crash', () => {
    expect(exitReason('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', false, crashed)).toBe('oom');
    expect(exitReason("terminate called after throwing an instance of 'std::bad_alloc'", false, crashed)).toBe('oom');
    expect(exitReason('BFCArena: Failed to allocate memory for requested buffer of size 3670016000', false, crashed)).toBe('oom');
    expect(exitReason('OOM when allocating tensor', false, crashed)).toBe('oom');
    expect(exitReason('Error: no room left on the zoom level', false, crashed)).toBe('crash');
    expect(exitReason('', false, { code: 0, signal: null })).toBe('normal');
    expect(exitReason('heap out of memory', true, crashed)).toBe('killed');
  });

  it("an ONNX Runtime error is out of memory only when it reports a failed allocation", () => {
    expect(ortFailureCode(new Error('[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Failed to allocate memory for requested buffer of size 869793792'))).toBe('out_of_memory');
    expect(ortFailureCode(new Error('std::bad_alloc'))).toBe('out_of_memory');
    expect(ortFailureCode(new Error('Got invalid dimensions for input: pixels for the following indices index: 3 Got: 431 Expected: 432'))).toBe('failed');
    expect(ortFailureCode(new Error('The pose frames (pose.rgb) hold 3 frames of 64x48 RGB, but the render needs 10.'))).toBe('failed');
  });
});
