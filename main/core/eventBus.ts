import type { EventName, PayloadOf } from './contract/index';
import { toDisposable, type Disposable } from './lifecycle';
import type { Logger } from './logger';

type AnyListener = (name: EventName, payload: unknown) => void;

/** Typed fan-out of contract events from the core to whichever transports are attached. */
export class EventBus {
  private readonly listeners = new Set<AnyListener>();

  constructor(private readonly log: Logger) {}

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch (e) {
        // A broken transport must not stop the others from hearing the event; but say it broke.
        this.log.error('an event listener failed', { event: name, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    }
  }

  onAny(listener: AnyListener): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
