import { useEffect, useRef, useState } from 'react';
import type { OutputDto } from '../../../main/core/contract/index';
import type { Asset } from '../../../main/core/contract/types';
import { studio } from '../studio';

export type CompareSide = { kind: 'output'; output: OutputDto } | { kind: 'asset'; asset: Asset };

interface Props {
  a: OutputDto;
  candidates: CompareSide[];
  onClose: () => void;
}

const sideLabel = (s: CompareSide) => (s.kind === 'asset' ? `Input: ${s.asset.name}` : `Output, seed ${s.output.seed ?? '—'}`);
const sideKey = (s: CompareSide) => (s.kind === 'asset' ? `asset:${s.asset.id}` : `output:${s.output.id}`);

/**
 * A/B compare of an output with its input or with another output: side by side, or one over the
 * other with a wipe line to drag. One transport plays both; B follows A's time.
 */
export function CompareDialog({ a, candidates, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const videoA = useRef<HTMLVideoElement>(null);
  const videoB = useRef<HTMLVideoElement>(null);
  const [bKey, setBKey] = useState(candidates[0] ? sideKey(candidates[0]) : '');
  const [mode, setMode] = useState<'side' | 'wipe'>('side');
  const [wipe, setWipe] = useState(50);
  const b = candidates.find((c) => sideKey(c) === bKey) ?? null;

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  // B follows A: play, pause and every seek; drift beyond a frame is corrected.
  useEffect(() => {
    const va = videoA.current;
    if (!va) return;
    const follow = () => {
      const vb = videoB.current;
      if (!vb) return;
      if (Math.abs(vb.currentTime - va.currentTime) > 0.05) vb.currentTime = Math.min(va.currentTime, Number.isFinite(vb.duration) ? vb.duration : va.currentTime);
      if (va.paused && !vb.paused) vb.pause();
      if (!va.paused && vb.paused) void vb.play().catch(() => undefined);
    };
    const events = ['play', 'pause', 'seeked', 'timeupdate'] as const;
    for (const e of events) va.addEventListener(e, follow);
    return () => {
      for (const e of events) va.removeEventListener(e, follow);
    };
  }, [bKey]);

  const bMedia =
    b?.kind === 'output' ? (
      <video ref={videoB} src={studio().mediaUrl(b.output.file)} muted preload="auto" data-testid="compare-b" />
    ) : b?.kind === 'asset' && b.asset.kind === 'video' ? (
      <video ref={videoB} src={studio().mediaUrl(b.asset.playback ?? b.asset.file)} muted preload="auto" data-testid="compare-b" />
    ) : b?.kind === 'asset' ? (
      <img src={studio().mediaUrl(b.asset.file)} alt={b.asset.name} data-testid="compare-b" />
    ) : null;

  return (
    <dialog ref={ref} className="dialog compare-dialog" onCancel={onClose} aria-labelledby="compare-title" data-testid="compare-dialog">
      <h2 id="compare-title">Compare</h2>
      <div className="row">
        <span className="muted">A: output, seed {a.seed ?? '—'}</span>
        <label>
          B{' '}
          <select value={bKey} onChange={(e) => setBKey(e.target.value)} data-testid="compare-with">
            {candidates.map((c) => (
              <option key={sideKey(c)} value={sideKey(c)}>
                {sideLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <div className="segmented" role="radiogroup" aria-label="Layout">
          <button type="button" role="radio" aria-checked={mode === 'side'} onClick={() => setMode('side')}>
            Side by side
          </button>
          <button type="button" role="radio" aria-checked={mode === 'wipe'} onClick={() => setMode('wipe')} data-testid="compare-wipe-mode">
            Wipe
          </button>
        </div>
      </div>
      <div className={`compare-stage compare-${mode}`} data-testid="compare-stage" style={{ ['--wipe' as string]: `${wipe}%` }}>
        <div className="compare-a">
          <video ref={videoA} src={studio().mediaUrl(a.file)} controls preload="auto" data-testid="compare-a" />
        </div>
        <div className="compare-b">{bMedia}</div>
      </div>
      {mode === 'wipe' && (
        <label className="wipe-control">
          Wipe <input type="range" min={0} max={100} value={wipe} onChange={(e) => setWipe(Number(e.target.value))} aria-label="Wipe position" data-testid="compare-wipe" />
        </label>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
