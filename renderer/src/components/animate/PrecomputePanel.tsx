import { useEffect, useState } from 'react';
import type { AnimatePrecomputeStatus } from '../../../../main/core/contract/animateTypes';
import { errorMessage } from '../../errorMessage';
import { studio } from '../../studio';
import { useToasts } from '../../toasts';

/** Analyse the whole driving video in the background: progress, cancel, and what was stored. */
export function PrecomputePanel({ assetId, onDone }: { assetId: string; onDone: () => void }) {
  const toasts = useToasts();
  const [status, setStatus] = useState<AnimatePrecomputeStatus | null>(null);
  useEffect(() => {
    let alive = true;
    studio()
      .animate.precomputeStatus({ assetId })
      .then((s) => alive && setStatus(s), (e: unknown) => toasts.error(errorMessage(e)));
    const off = studio().on('animate.precomputeProgress', (s) => {
      if (s.assetId !== assetId) return;
      setStatus(s);
      if (s.state === 'done') onDone();
    });
    return () => {
      alive = false;
      off();
    };
  }, [assetId]);
  const act = (fn: () => Promise<AnimatePrecomputeStatus>) => fn().then(setStatus, (e: unknown) => toasts.error(errorMessage(e)));
  const s = status;
  const pct = s && s.total > 0 ? Math.round((100 * s.done) / s.total) : 0;
  return (
    <div className="precompute" data-testid="precompute" data-state={s?.state ?? 'idle'}>
      {s?.state === 'running' ? (
        <>
          <progress max={s.total} value={s.done} aria-label="Analysis progress" />
          <span data-testid="precompute-progress">
            {s.done} of {s.total} frames ({pct}%){s.fps ? `, ${s.fps} frames/s` : ''}
          </span>
          <button type="button" onClick={() => void act(() => studio().animate.cancelPrecompute({ assetId }))}>
            Cancel analysis
          </button>
        </>
      ) : (
        <>
          {s?.state !== 'done' && (
            <button type="button" onClick={() => void act(() => studio().animate.startPrecompute({ assetId }))}>
              Analyse whole video
            </button>
          )}
          {s?.message && <span className={s.state === 'failed' ? 'error' : 'muted'} data-testid="precompute-message">{s.message}</span>}
        </>
      )}
    </div>
  );
}
