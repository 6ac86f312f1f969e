import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildStudioApi, type TransportPort } from '../../../main/core/contract/api';
import { eventNames } from '../../../main/core/contract/index';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Carries events the way the app's preload does: every subscription is a listener on one EventEmitter (ipcRenderer). */
function emitterPort(bus: EventEmitter): TransportPort {
  return {
    invoke: () => Promise.reject(new Error('no requests in this test')),
    subscribe(name, listener) {
      const handler = (eventName: string, payload: unknown) => {
        if (eventName === name) listener(payload);
      };
      bus.on('studio:event', handler);
      return () => bus.off('studio:event', handler);
    },
    mediaUrl: (p) => p,
    prepareFile: () => Promise.reject(new Error('no files in this test')),
  };
}

describe('window.studio.on', () => {
  it('a listener that throws is logged and the listeners after it on the same emitter still get the event', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const bus = new EventEmitter();
    const studio = buildStudioApi(emitterPort(bus));
    const name = eventNames[0]!;
    const received: unknown[] = [];
    studio.on(name, () => {
      throw new Error('a broken panel');
    });
    studio.on(name, (payload) => received.push(payload));

    bus.emit('studio:event', name, { n: 1 });

    expect(received).toEqual([{ n: 1 }]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]![0])).toContain(name);
    expect((errors.mock.calls[0]![1] as Error).message).toBe('a broken panel');
  });
});
