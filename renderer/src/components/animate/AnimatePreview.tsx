import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { maskParamsOf } from '../../../../common/animate/maskAugment';
import { personIssues } from '../../../../common/animate/personChecks';
import { pickedPersonIndex } from '../../../../common/animate/personPick';
import type { FramePreviewDto } from '../../../../main/core/contract/animateTypes';
import { animateParamsSchema } from '../../../../main/core/contract/params/animateParams';
import type { Asset, PersonPick } from '../../../../main/core/contract/types';
import { drawOverlay, faceRectOf, personLayers, type OverlayLayers } from './overlayDrawing';
import { PrecomputePanel } from './PrecomputePanel';
import { RetargetPanel } from './RetargetPanel';
import { usePreviewFrame } from './usePreviewFrame';

type MaskField = 'mask_iterations' | 'mask_kernel_size' | 'mask_w_subdivisions' | 'mask_h_subdivisions';

/** The draft's mask parameters, each checked by its own schema (a field being typed keeps its default). */
function draftMaskParams(params: Record<string, unknown>) {
  const shape = animateParamsSchema.shape;
  const value = (k: MaskField) => {
    const r = shape[k].safeParse(params[k]);
    return r.success ? r.data : (shape[k].parse(undefined) as number);
  };
  return { mask_iterations: value('mask_iterations'), mask_kernel_size: value('mask_kernel_size'), mask_w_subdivisions: value('mask_w_subdivisions'), mask_h_subdivisions: value('mask_h_subdivisions') };
}

/** Which engine the pick reaches: renders on this computer use it; the cloud app has no person input. */
function PickNote({ frame, used }: { frame: FramePreviewDto; used: number }) {
  if (frame.people.length < 2 || used === frame.primary || frame.primary < 0) return null;
  return (
    <p className="muted" data-testid="person-pick-note">
      You picked person {used + 1}: renders on this computer use them. The cloud app takes no person: it replaces the largest one (person {frame.primary + 1}).
    </p>
  );
}

function FaceStrip({ video, frame, used }: { video: HTMLVideoElement | null; frame: FramePreviewDto; used: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const person = frame.people[used];
  const rect = person ? faceRectOf(frame, person) : null;
  useEffect(() => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    g.fillStyle = '#111';
    g.fillRect(0, 0, c.width, c.height);
    // Wan stretches the crop to 512 x 512 (aspect not kept): so does this strip.
    if (video && rect && video.readyState >= 2) g.drawImage(video, rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0, 0, 0, c.width, c.height);
  });
  return (
    <figure className="face-strip" data-testid="face-strip">
      <canvas ref={canvas} width={128} height={128} />
      <figcaption className="muted">{rect ? `Face crop ${rect.x1 - rect.x0}×${rect.y1 - rect.y0} → 512×512` : 'No face in view'}</figcaption>
    </figure>
  );
}

/**
 * The Animate editor's live preview: the driving video with toggleable overlays at the playhead
 * (Wan's pose picture, the replacement mask with its grid, the face crop), the people found
 * (the used one marked, any other one clickable), warnings, and the whole-video analysis.
 */
export function AnimatePreview(props: {
  video: Asset;
  stage: HTMLElement;
  params: Record<string, unknown>;
  referenceAssetId: string | null;
  /** The saved pick (the project's editor state), and how to change it. */
  pick: PersonPick | null;
  onPick: (pick: PersonPick | null) => void;
}) {
  const { video, stage, params: draft, referenceAssetId, pick } = props;
  const params = draftMaskParams(draft);
  // The timeline's player (in `stage`) is the one player; the overlay follows its playhead.
  const player = { current: stage.querySelector('video') };
  const overlay = useRef<HTMLCanvasElement>(null);
  const [at, setAt] = useState(0);
  const [layers, setLayers] = useState<OverlayLayers>({ pose: true, mask: true, face: true });
  const [refresh, setRefresh] = useState(0);
  const { frame, error, busy } = usePreviewFrame(video.id, at, refresh);
  const used = frame ? pickedPersonIndex(frame, pick) : -1;
  // The core reads the last frame for a playhead at the very end.
  const shown = Math.min(at, Math.max(0, (video.media.durationSec ?? at) - 0.05));
  const stale = !!frame && frame.source === 'live' && Math.abs(frame.atSec - shown) > 0.1;
  const maskParams = useMemo(() => maskParamsOf(params), [params.mask_iterations, params.mask_kernel_size, params.mask_w_subdivisions, params.mask_h_subdivisions]); // one object per values

  // The warnings follow the person in use (the core's are for the largest one).
  const issues = useMemo(() => (frame ? personIssues(frame, used, frame.where) : []), [frame, used]);
  const prepared = useMemo(() => (frame ? personLayers(frame, used) : null), [frame, used]);

  useEffect(() => {
    const c = overlay.current;
    if (!c || !frame) return;
    const t0 = performance.now();
    drawOverlay(c, frame, used, prepared, layers, maskParams);
    c.dataset.drawMs = (performance.now() - t0).toFixed(1);
    c.dataset.params = `${maskParams.iterations},${maskParams.kernelSize},${maskParams.wSubdivisions},${maskParams.hSubdivisions}`;
    c.dataset.at = frame.atSec.toFixed(2);
    c.dataset.used = String(used);
  }, [frame, used, prepared, layers, maskParams]);

  useEffect(() => {
    const v = stage.querySelector('video');
    if (!v) return;
    // The face strip copies pixels from the player: it needs frames, not only metadata.
    v.preload = 'auto';
    const follow = () => setAt(v.currentTime);
    const whilePlaying = () => v.paused || setAt(v.currentTime);
    v.addEventListener('seeked', follow);
    v.addEventListener('pause', follow);
    v.addEventListener('timeupdate', whilePlaying);
    return () => {
      v.removeEventListener('seeked', follow);
      v.removeEventListener('pause', follow);
      v.removeEventListener('timeupdate', whilePlaying);
    };
  }, [stage]);

  // The canvas covers exactly the picture inside the video element (which letterboxes it).
  useEffect(() => {
    const v = player.current;
    const c = overlay.current;
    if (!v || !c) return;
    const fit = () => {
      const [cw, ch, vw, vh] = [v.clientWidth, v.clientHeight, v.videoWidth || frame?.width || 0, v.videoHeight || frame?.height || 0];
      if (!cw || !ch || !vw || !vh) return;
      const scale = Math.min(cw / vw, ch / vh);
      Object.assign(c.style, { left: `${(cw - vw * scale) / 2}px`, top: `${(ch - vh * scale) / 2}px`, width: `${vw * scale}px`, height: `${vh * scale}px` });
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(v);
    v.addEventListener('loadedmetadata', fit);
    return () => {
      ro.disconnect();
      v.removeEventListener('loadedmetadata', fit);
    };
  }, [frame]);

  const onPick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const c = overlay.current;
    if (!c || !frame) return;
    const r = c.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * frame.width;
    const y = ((e.clientY - r.top) / r.height) * frame.height;
    const hit = frame.people.findIndex((p) => x >= p.box.x1 && x <= p.box.x2 && y >= p.box.y1 && y <= p.box.y2);
    const b = frame.people[hit]?.box;
    if (!b) return;
    // Clicking the largest person goes back to Wan's own rule (nothing to remember).
    if (hit === frame.primary) props.onPick(null);
    else props.onPick({ x: (b.x1 + b.x2) / 2 / frame.width, y: (b.y1 + b.y2) / 2 / frame.height, atSec: frame.atSec });
  };
  const toggle = (k: keyof OverlayLayers) => setLayers((l) => ({ ...l, [k]: !l[k] }));

  return (
    <div className="animate-preview" data-testid="animate-preview">
      {/* While the next frame is analysed, the previous overlay stays, dimmed: it belongs to another moment. */}
      {createPortal(
        <canvas
          ref={overlay}
          className="preview-overlay"
          data-testid="preview-overlay"
          data-stale={stale ? 'true' : 'false'}
          style={{ opacity: stale ? 0.35 : 1 }}
          onClick={onPick}
          aria-label="Preview overlay: click a person to use them"
        />,
        stage,
      )}
      <div className="row preview-controls">
        {(['pose', 'mask', 'face'] as const).map((k) => (
          <label key={k}>
            <input type="checkbox" checked={layers[k]} onChange={() => toggle(k)} data-testid={`layer-${k}`} />
            {k === 'pose' ? 'Pose' : k === 'mask' ? 'Replacement mask' : 'Face crop'}
          </label>
        ))}
        {pick && (
          <button type="button" onClick={() => props.onPick(null)}>
            Use the largest person
          </button>
        )}
        {busy && <span className="muted">Finding people…</span>}
      </div>
      {frame && (
        <p className="muted" data-testid="preview-model">
          Preview by {frame.model.label}
          {frame.source === 'stored' ? ' (stored analysis)' : ''}; {frame.people.length} {frame.people.length === 1 ? 'person' : 'people'} at {frame.atSec.toFixed(2)} s.
        </p>
      )}
      {frame && <PickNote frame={frame} used={used} />}
      {error && <p className="error" role="alert">{error}</p>}
      {issues.length > 0 && (
        <ul className="preview-issues" data-testid="preview-issues">
          {issues.map((i) => (
            <li key={i.kind} data-kind={i.kind}>
              {i.message}
            </li>
          ))}
        </ul>
      )}
      {frame && layers.face && <FaceStrip video={player.current} frame={frame} used={used} />}
      {draft.retarget_flag === true && referenceAssetId && frame && (
        <RetargetPanel referenceAssetId={referenceAssetId} driving={frame.people[used] ?? null} threshold={frame.model.id === 'bundled' ? 0.3 : 0.5} />
      )}
      <PrecomputePanel assetId={video.id} onDone={() => setRefresh((n) => n + 1)} />
    </div>
  );
}
