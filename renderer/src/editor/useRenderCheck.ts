import { useEffect, useState } from 'react';
import type { RenderCheckDto } from '../../../main/core/contract/index';
import type { ProjectState } from '../../../main/core/contract/types';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';

const CHECK_DELAY_MS = 120;

export interface RenderCheckView {
  check: RenderCheckDto | null;
  /** True while the answer is for an older draft than the one on screen. */
  stale: boolean;
  error: string | null;
}

/**
 * Asks the core what Render would submit with the draft on screen (the same checks that queue a
 * job), shortly after each change: the live problem list and the summary come from it.
 */
export function useRenderCheck(projectId: string, state: ProjectState, refreshKey: unknown): RenderCheckView {
  const [view, setView] = useState<RenderCheckView>({ check: null, stale: true, error: null });
  useEffect(() => {
    let live = true;
    setView((v) => ({ ...v, stale: true }));
    const timer = window.setTimeout(() => {
      studio()
        .render.check({ projectId, engine: state.engine, draft: state })
        .then(
          (check) => live && setView({ check, stale: false, error: null }),
          (e: unknown) => live && setView({ check: null, stale: false, error: errorMessage(e) }),
        );
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [projectId, state, refreshKey]);
  return view;
}
