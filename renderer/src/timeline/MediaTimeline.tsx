import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent, type ReactNode, type WheelEvent } from 'react';
import { formatDuration } from '../../../main/core/contract/format';
import type { TrimRange } from '../../../main/core/contract/types';
import { PointerDrag } from '../components/pointerDrag';
import { formatTimecode } from './timecode';
import { timelineAction, type TimelineAction } from './timelineKeys';
import { usePlayhead } from './usePlayhead';

const MIN_SPAN = 0.1;
const ZOOMS = [1, 2, 4, 8, 16, 32] as const;

export interface MediaTimelineProps {
  label: string;
  kind: 'audio' | 'video';
  src: string;
  poster?: string;
  durationSec: number;
  fps: number;
  trim: TrimRange;
  onTrim: (t: TrimRange) => void;
  /** Called once before each trim gesture (a drag, a key, a typed field): one undo step each. */
  onTrimStart: () => void;
  /** The lane drawn under the handles: a waveform or a filmstrip, stretched to the zoomed width. */
  children: ReactNode;
  /** Called with the box around the video, so a preview can draw over this one player (Animate's overlays). */
  onStage?: (stage: HTMLDivElement | null) => void;
}

const clampTrim = (t: TrimRange, duration: number): TrimRange => {
  const inSec = Math.min(Math.max(0, t.inSec), duration - MIN_SPAN);
  const o = Math.min(Math.max(t.outSec ?? duration, inSec + MIN_SPAN), duration);
  return { inSec: Math.round(inSec * 1000) / 1000, outSec: o >= duration - 0.0005 ? null : Math.round(o * 1000) / 1000 };
};

/**
 * A media timeline: the player, its playhead on a zoomable lane (click or drag to seek), in and
 * out handles with wide grab areas, timecodes at the media's frame rate, and the editor keys
 * (Space, I/O, J/K/L, arrows by a frame or with Shift by a second, Home/End). Nothing is cut:
 * the trim is stored on the project and applied when a render materializes its inputs.
 */
export function MediaTimeline(props: MediaTimelineProps) {
  const { durationSec: duration, fps, trim, onTrim, onTrimStart } = props;
  const media = useRef<HTMLMediaElement | null>(null);
  const lane = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState<number>(1);
  const head = usePlayhead(media, trim, duration);
  const out = trim.outSec ?? duration;
  const pct = (s: number) => `${(Math.min(Math.max(s / duration, 0), 1) * 100).toFixed(4)}%`;
  const timeAt = (clientX: number) => {
    const r = lane.current?.getBoundingClientRect();
    return r ? Math.min(Math.max(((clientX - r.left) / r.width) * duration, 0), duration) : 0;
  };
  const setTrim = (t: TrimRange) => onTrim(clampTrim(t, duration));

  // While playing zoomed in, the view follows the playhead.
  useEffect(() => {
    const box = scroller.current;
    if (!box || zoom === 1 || !head.playing) return;
    const x = (head.time / duration) * box.scrollWidth;
    if (x < box.scrollLeft || x > box.scrollLeft + box.clientWidth) box.scrollLeft = x - box.clientWidth * 0.1;
  }, [head.time, head.playing, zoom, duration]);

  // One drag at a time, owned by the timeline: unmounting mid-drag leaves no window listeners.
  const drag = useRef<PointerDrag | null>(null);
  useEffect(() => () => drag.current?.dispose(), []);
  const dragWith = (e: ReactPointerEvent<HTMLElement>, onMove: (sec: number) => void) => {
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget.closest('.timeline') as HTMLElement | null)?.focus();
    drag.current ??= new PointerDrag(window);
    drag.current.start((ev: PointerEvent) => onMove(timeAt(ev.clientX)));
  };
  const dragHandle = (which: 'in' | 'out') => (e: ReactPointerEvent<HTMLElement>) => {
    onTrimStart();
    let current = trim;
    dragWith(e, (sec) => {
      current = clampTrim(which === 'in' ? { inSec: sec, outSec: current.outSec } : { inSec: current.inSec, outSec: sec }, duration);
      onTrim(current);
    });
  };
  const scrub = (e: ReactPointerEvent<HTMLElement>) => {
    head.seek(timeAt(e.clientX));
    dragWith(e, head.seek);
  };

  const frame = 1 / fps;
  const run = (a: TimelineAction) => {
    switch (a.type) {
      case 'toggle':
        return head.toggle();
      case 'markIn':
        onTrimStart();
        return setTrim({ inSec: head.time, outSec: trim.outSec !== null && trim.outSec <= head.time ? null : trim.outSec });
      case 'markOut':
        onTrimStart();
        return setTrim({ inSec: trim.inSec >= head.time ? 0 : trim.inSec, outSec: head.time });
      case 'shuttle':
        return head.shuttle(a.direction);
      case 'step':
        // Counted in whole frames, so stepping never drifts off the frame grid.
        return head.seek((Math.round(head.time * fps) + a.frames) * frame);
      case 'stepSeconds':
        return head.seek(head.time + a.seconds);
      case 'start':
        return head.seek(0);
      case 'end':
        return head.seek(duration);
    }
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select') || (target.tagName === 'BUTTON' && e.key === ' ')) return;
    const action = timelineAction(e);
    if (!action) return;
    e.preventDefault();
    run(action);
  };
  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    zoomBy(e.deltaY < 0 ? 1 : -1);
  };
  const zoomBy = (steps: number) => {
    const at = ZOOMS.indexOf(zoom as (typeof ZOOMS)[number]);
    const next = ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, at + steps))] ?? 1;
    setZoom(next);
    // Keep the playhead where the eye is.
    requestAnimationFrame(() => {
      const box = scroller.current;
      if (box) box.scrollLeft = (head.time / duration) * box.scrollWidth - box.clientWidth / 2;
    });
  };

  const typed = (which: 'in' | 'out', value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) return;
    setTrim(which === 'in' ? { inSec: n, outSec: trim.outSec } : { inSec: trim.inSec, outSec: n });
  };
  const tc = (s: number) => formatTimecode(s, fps);

  return (
    <div className="timeline" tabIndex={0} onKeyDown={onKey} aria-label={`${props.label}: Space plays, I and O set the in and out points, J K L shuttle, arrows step a frame (Shift: a second)`} data-testid="timeline">
      {props.kind === 'video' ? (
        <div className="preview-stage" ref={props.onStage} data-testid="preview-stage">
          <video ref={(el) => void (media.current = el)} src={props.src} poster={props.poster} preload="metadata" className="player" data-testid="timeline-player" onClick={head.toggle} />
        </div>
      ) : (
        <audio ref={(el) => void (media.current = el)} src={props.src} preload="metadata" className="player" data-testid="timeline-player" />
      )}
      <div className="timeline-bar">
        <button type="button" onClick={head.toggle} data-testid="play-toggle" aria-label={head.playing ? 'Pause' : 'Play'}>
          {head.playing ? '❚❚' : '▶'}
        </button>
        <span className="timecode" data-testid="timecode" data-time={head.time.toFixed(3)}>
          {tc(head.time)}
        </span>
        <span className="muted">/ {tc(duration)}</span>
        {head.speed !== 0 && head.speed !== 1 && <span className="muted" data-testid="shuttle-speed">{head.speed > 0 ? `${head.speed}×` : `◀ ${-head.speed}×`}</span>}
        <span className="spacer" />
        <button type="button" onClick={() => zoomBy(-1)} disabled={zoom === 1} aria-label="Zoom out">
          −
        </button>
        <span className="muted" data-testid="zoom">{zoom}×</span>
        <button type="button" onClick={() => zoomBy(1)} disabled={zoom === ZOOMS[ZOOMS.length - 1]} aria-label="Zoom in">
          +
        </button>
      </div>
      <div className="timeline-scroll" ref={scroller} onWheel={onWheel} data-testid="timeline-scroll">
        <div className="trim-track" ref={lane} style={{ width: `${zoom * 100}%` }} onPointerDown={scrub} data-testid="timeline-lane">
          {props.children}
          <div className="trim-shade" style={{ left: 0, width: pct(trim.inSec) }} />
          <div className="trim-shade" style={{ left: pct(out), right: 0 }} />
          <div className="playhead" style={{ left: pct(head.time) }} data-testid="playhead" />
          <div className="trim-handle" role="slider" aria-label="In point" aria-valuemin={0} aria-valuemax={duration} aria-valuenow={trim.inSec} aria-valuetext={tc(trim.inSec)} style={{ left: pct(trim.inSec) }} onPointerDown={dragHandle('in')} />
          <div className="trim-handle" role="slider" aria-label="Out point" aria-valuemin={0} aria-valuemax={duration} aria-valuenow={out} aria-valuetext={tc(out)} style={{ left: pct(out) }} onPointerDown={dragHandle('out')} />
        </div>
      </div>
      <div className="trim-fields">
        <label>
          In <input type="number" step="0.01" min={0} max={duration} value={trim.inSec} onFocus={onTrimStart} onChange={(e) => typed('in', e.target.value)} aria-label="In (seconds)" />
        </label>
        <span className="timecode muted" data-testid="in-timecode">
          {tc(trim.inSec)}
        </span>
        <label>
          Out <input type="number" step="0.01" min={0} max={duration} value={out} onFocus={onTrimStart} onChange={(e) => typed('out', e.target.value)} aria-label="Out (seconds)" />
        </label>
        <span className="timecode muted" data-testid="out-timecode">
          {tc(out)}
        </span>
        <span className="muted" data-testid="trim-length">
          {formatDuration(out - trim.inSec)} of {formatDuration(duration)}
        </span>
        {(trim.inSec > 0 || trim.outSec !== null) && (
          <button
            type="button"
            onClick={() => {
              onTrimStart();
              onTrim({ inSec: 0, outSec: null });
            }}
          >
            Reset
          </button>
        )}
      </div>
    </div>
  );
}
