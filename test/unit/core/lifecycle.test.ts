import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/eventBus';
import { DisposableStore, toDisposable } from '../../../main/core/lifecycle';
import { createLogger, silentLogger } from '../../../main/core/logger';

describe('disposables and the event bus', () => {
  it('a store releases everything once, in reverse order, even when one release throws', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('a')));
    store.add(toDisposable(() => {
      order.push('b');
      throw new Error('b failed');
    }));
    store.add(toDisposable(() => order.push('c')));
    expect(() => store.dispose()).toThrow(AggregateError);
    expect(order).toEqual(['c', 'b', 'a']);
    store.dispose();
    expect(order).toEqual(['c', 'b', 'a']);
    let late = false;
    store.add(toDisposable(() => (late = true)));
    expect(late).toBe(true);
  });

  it('every subscription hands back its release, and a throwing listener does not stop the others', () => {
    const bus = new EventBus(silentLogger);
    const seen: string[] = [];
    const a = bus.onAny(() => {
      throw new Error('broken transport');
    });
    const b = bus.onAny((name) => seen.push(name));
    bus.emit('library.changed', { kind: 'project', projectId: null });
    expect(seen).toEqual(['library.changed']);
    a.dispose();
    b.dispose();
    expect(bus.listenerCount).toBe(0);
    bus.emit('library.changed', { kind: 'project', projectId: null });
    expect(seen).toHaveLength(1);
  });

  it('a listener that throws is logged with the event name, and the listeners after it still hear the event', () => {
    const lines: string[] = [];
    const bus = new EventBus(createLogger('events', (l) => lines.push(l), 'debug'));
    const seen: string[] = [];
    bus.onAny((name) => seen.push(`first ${name}`));
    bus.onAny(() => {
      throw new Error('the socket is gone');
    });
    bus.onAny((name) => seen.push(`last ${name}`));
    bus.emit('library.changed', { kind: 'project', projectId: null });
    expect(seen).toEqual(['first library.changed', 'last library.changed']);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as { level: string; msg: string; event: string; error: string };
    expect(line).toMatchObject({ level: 'error', msg: 'an event listener failed', event: 'library.changed' });
    expect(line.error).toContain('the socket is gone');
  });
});
