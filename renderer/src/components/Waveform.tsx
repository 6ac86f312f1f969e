import { useEffect, useRef, useState } from 'react';
import type { PeaksWindowDto } from '../../../main/core/contract/types';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';

/**
 * An asset's waveform drawn on a canvas from min/max peaks. It asks for about one peak per pixel,
 * so a long file costs no more to draw than a short one.
 */
export function Waveform({ assetId, height = 72, className }: { assetId: string; height?: number; className?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<PeaksWindowDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = canvas.current?.parentElement;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(16, Math.round(entry?.contentRect.width ?? 0))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (width === 0) return;
    let live = true;
    studio()
      .media.peaks({ assetId, maxPeaks: Math.min(20_000, width * Math.ceil(window.devicePixelRatio || 1)) })
      .then((p) => live && setPeaks(p), (e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [assetId, width]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !peaks || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    c.width = Math.round(width * ratio);
    c.height = Math.round(height * ratio);
    const g = c.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, c.width, c.height);
    g.fillStyle = getComputedStyle(c).color;
    const mid = c.height / 2;
    const n = peaks.max.length;
    for (let x = 0; x < c.width; x++) {
      const i = Math.min(n - 1, Math.floor((x / c.width) * n));
      const top = mid - (peaks.max[i] ?? 0) * mid;
      const bottom = mid - (peaks.min[i] ?? 0) * mid;
      g.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
  }, [peaks, width, height]);

  if (error) return <p className="error-text">{error}</p>;
  return (
    <div className={`waveform ${className ?? ''}`} style={{ height }}>
      <canvas ref={canvas} data-testid="waveform" data-peaks={peaks?.max.length ?? 0} aria-label="Waveform" />
    </div>
  );
}
