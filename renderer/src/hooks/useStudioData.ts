import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, PayloadOf } from '../../../main/core/contract/index';
import { studio } from '../studio';
import { errorMessage } from '../errorMessage';

export interface StudioData<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads something from the studio and reloads it when a matching event arrives. The
 * subscription is released with the component (no leaked listeners).
 */
export function useStudioData<T, E extends EventName = EventName>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  refresh?: { event: E; when?: (payload: PayloadOf<E>) => boolean },
): StudioData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const run = useCallback(load, deps);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    run().then(
      (v) => {
        if (mine !== generation.current) return;
        setData(v);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setError(errorMessage(e));
        setLoading(false);
      },
    );
  }, [run]);

  useEffect(() => {
    reload();
  }, [reload]);

  const event = refresh?.event;
  const when = refresh?.when;
  useEffect(() => {
    if (!event) return;
    return studio().on(event, (payload) => {
      if (!when || when(payload)) reload();
    });
  }, [event, when, reload]);

  return { data, error, loading, reload };
}
