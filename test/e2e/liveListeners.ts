import type { JSHandle, Page } from '@playwright/test';

declare global {
  interface Window {
    /** Listeners currently on `target` for `type`, as counted by the init script below. */
    __liveListeners?: (target: EventTarget, type: string) => number;
  }
}

/**
 * Counts the page's live DOM listeners: wraps EventTarget's add/remove before any page script
 * runs, keeping the set of listeners per target and type (as the browser does, the same function
 * added twice counts once). Lets a test see a listener that outlives its component.
 */
export async function countListeners(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const live = new WeakMap<EventTarget, Map<string, Set<unknown>>>();
    const setOf = (target: EventTarget, type: string) => {
      let byType = live.get(target);
      if (!byType) live.set(target, (byType = new Map()));
      let set = byType.get(type);
      if (!set) byType.set(type, (set = new Set()));
      return set;
    };
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
      if (listener) setOf(this, type).add(listener);
      add.call(this, type, listener, options);
    };
    EventTarget.prototype.removeEventListener = function (this: EventTarget, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) {
      if (listener) setOf(this, type).delete(listener);
      remove.call(this, type, listener, options);
    };
    window.__liveListeners = (target, type) => setOf(target, type).size;
  });
}

export const windowListeners = (page: Page, type: string): Promise<number> => page.evaluate((t) => window.__liveListeners?.(window, t) ?? -1, type);

export const elementListeners = (element: JSHandle<Element | null>, type: string): Promise<number> =>
  element.evaluate((el, t) => (el ? (window.__liveListeners?.(el, t) ?? -1) : -1), type);
