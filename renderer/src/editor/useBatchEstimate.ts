import { useEffect, useState } from 'react';
import type { BatchEstimateDto, BatchVariation, EngineChoice } from '../../../main/core/contract/index';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';

const ESTIMATE_DELAY_MS = 200;

export interface BatchEstimateView {
  estimate: BatchEstimateDto | null;
  error: string | null;
}

/**
 * Asks the core what the batch on screen would start (paid cloud renders, expected time) shortly
 * after it changes, so the page says so before anything is queued.
 */
export function useBatchEstimate(projectId: string, engine: EngineChoice, variations: BatchVariation[] | null, refreshKey: unknown): BatchEstimateView {
  const [view, setView] = useState<BatchEstimateView>({ estimate: null, error: null });
  const key = variations ? JSON.stringify(variations) : null;
  useEffect(() => {
    if (key === null) {
      setView({ estimate: null, error: null });
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      studio()
        .queue.estimateBatch({ projectId, engine, variations: JSON.parse(key) as BatchVariation[] })
        .then(
          (estimate) => live && setView({ estimate, error: null }),
          (e: unknown) => live && setView({ estimate: null, error: errorMessage(e) }),
        );
    }, ESTIMATE_DELAY_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [projectId, engine, key, refreshKey]);
  return view;
}
