import { useEffect, useRef, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import { formatDuration } from '../../../main/core/contract/format';
import type { TrimRange } from '../../../main/core/contract/types';
import { PointerDrag } from './pointerDrag';

const MIN_SPAN = 0.1;

/**
 * In and out points over a waveform or filmstrip: drag the handles, or type seconds. Nothing is
 * cut here; the trim is stored on the project and applied when a render materializes its inputs.
 */
export function TrimTimeline(props: { durationSec: number; trim: TrimRange; onChange: (t: TrimRange) => void; children: ReactNode; label: string }) {
  const { durationSec, trim, onChange } = props;
  const track = useRef<HTMLDivElement>(null);
  const dragging = useRef<PointerDrag | null>(null);
  // Unmounting mid-drag (the asset or the page changes) ends the drag and its window listeners.
  useEffect(() => () => dragging.current?.dispose(), []);
  const out = trim.outSec ?? durationSec;
  const pct = (s: number) => `${(Math.min(Math.max(s / durationSec, 0), 1) * 100).toFixed(3)}%`;
  const clamp = (t: TrimRange): TrimRange => {
    const inSec = Math.min(Math.max(0, t.inSec), durationSec - MIN_SPAN);
    const o = Math.min(Math.max(t.outSec ?? durationSec, inSec + MIN_SPAN), durationSec);
    return { inSec: Math.round(inSec * 1000) / 1000, outSec: o >= durationSec - 0.0005 ? null : Math.round(o * 1000) / 1000 };
  };
  const drag = (which: 'in' | 'out') => (e: ReactPointerEvent<HTMLDivElement>) => {
    const el = track.current;
    if (!el) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    dragging.current ??= new PointerDrag(window);
    dragging.current.start((ev: PointerEvent) => {
      const r = el.getBoundingClientRect();
      const sec = ((ev.clientX - r.left) / r.width) * durationSec;
      onChange(clamp(which === 'in' ? { inSec: sec, outSec: trim.outSec } : { inSec: trim.inSec, outSec: sec }));
    });
  };
  const typed = (which: 'in' | 'out', value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n)) return;
    onChange(clamp(which === 'in' ? { inSec: n, outSec: trim.outSec } : { inSec: trim.inSec, outSec: n }));
  };
  return (
    <div className="trim" aria-label={props.label}>
      <div className="trim-track" ref={track}>
        {props.children}
        <div className="trim-shade" style={{ left: 0, width: pct(trim.inSec) }} />
        <div className="trim-shade" style={{ left: pct(out), right: 0 }} />
        <div className="trim-handle" role="slider" aria-label="In point" aria-valuemin={0} aria-valuemax={durationSec} aria-valuenow={trim.inSec} tabIndex={0} style={{ left: pct(trim.inSec) }} onPointerDown={drag('in')} />
        <div className="trim-handle" role="slider" aria-label="Out point" aria-valuemin={0} aria-valuemax={durationSec} aria-valuenow={out} tabIndex={0} style={{ left: pct(out) }} onPointerDown={drag('out')} />
      </div>
      <div className="trim-fields">
        <label>
          In <input type="number" step="0.01" min={0} max={durationSec} value={trim.inSec} onChange={(e) => typed('in', e.target.value)} aria-label="In (seconds)" />
        </label>
        <label>
          Out <input type="number" step="0.01" min={0} max={durationSec} value={out} onChange={(e) => typed('out', e.target.value)} aria-label="Out (seconds)" />
        </label>
        <span className="muted" data-testid="trim-length">
          {formatDuration(out - trim.inSec)} of {formatDuration(durationSec)}
        </span>
        {(trim.inSec > 0 || trim.outSec !== null) && (
          <button type="button" onClick={() => onChange({ inSec: 0, outSec: null })}>
            Reset
          </button>
        )}
      </div>
    </div>
  );
}
