/**
 * Adds a DOM listener and hands back its removal, so whoever adds a listener owns taking it off
 * again (on the event that ends it, or when the component unmounts). Written against EventTarget
 * alone so it runs under Node in the unit tests.
 */
export function listen<E extends Event>(target: EventTarget, type: string, fn: (e: E) => void): () => void {
  const listener = (e: Event) => fn(e as E);
  target.addEventListener(type, listener);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    target.removeEventListener(type, listener);
  };
}
