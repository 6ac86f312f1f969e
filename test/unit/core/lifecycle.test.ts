import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/eventBus';
import { DisposableStore, toDisposable } from '../../../main/core/lifecycle';

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
    const bus = new EventBus();
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
});
