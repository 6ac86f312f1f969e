import { useEffect, useRef, useState } from 'react';
import { exportFormatInfo, exportFormats, exportFrameRates, exportHeights, targetSizeFormats, type ExportFormat, type ExportHeight } from '../../../main/core/contract/postProcess';
import type { ExportResult, OutputDto } from '../../../main/core/contract/index';
import { formatBytes } from '../../../main/core/contract/format';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';

const newExportId = () => `exp_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;

/**
 * Post-processing an output with a preset: format, frame rate (interpolated or repeated), size,
 * loudness. Runs with a progress bar and can be cancelled; the result is offered for download.
 * Encoders this ffmpeg lacks are disabled rather than failing later.
 */
export function ExportDialog({ output, encoders, onClose }: { output: OutputDto; encoders: Record<string, boolean> | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [format, setFormat] = useState<ExportFormat>('h264');
  const [fps, setFps] = useState<string>('');
  const [method, setMethod] = useState<'interpolate' | 'repeat'>('interpolate');
  const [height, setHeight] = useState<string>('');
  const [loudnorm, setLoudnorm] = useState(false);
  // Empty: no limit. Otherwise the MB the file must fit in (chat apps cap uploads at 8, 25, 50 MB...).
  const [targetSize, setTargetSize] = useState('');
  const sizeApplies = targetSizeFormats.includes(format);
  const [running, setRunning] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ stage: string; fraction: number | null } | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  useEffect(
    () =>
      studio().on('render.exportProgress', (p) => {
        if (p.exportId === running) setProgress({ stage: p.stage, fraction: p.fraction });
      }),
    [running],
  );

  const start = async () => {
    const exportId = newExportId();
    setRunning(exportId);
    setProgress({ stage: 'encode', fraction: 0 });
    setResult(null);
    setError(null);
    try {
      const r = await studio().render.export({
        outputId: output.id,
        exportId,
        spec: {
          format,
          fps: fps ? { target: Number(fps) as 24 | 25 | 30 | 60, method } : null,
          height: height ? (Number(height) as ExportHeight) : null,
          loudnorm: format !== 'gif' && loudnorm,
          targetSizeMB: sizeApplies && targetSize ? Number(targetSize) : null,
        },
      });
      setResult(r);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(null);
    }
  };
  const cancel = () => {
    if (running) void studio().render.cancelExport({ exportId: running });
  };
  const close = () => {
    cancel();
    onClose();
  };
  const available = (f: ExportFormat) => !encoders || encoders[exportFormatInfo[f].encoder] !== false;

  return (
    <dialog ref={ref} className="dialog export-dialog" onCancel={close} aria-labelledby="export-title" data-testid="export-dialog">
      <h2 id="export-title">Export</h2>
      <div className="settings-form">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} disabled={!!running} data-testid="export-format">
            {exportFormats.map((f) => (
              <option key={f} value={f} disabled={!available(f)}>
                {exportFormatInfo[f].label}
                {available(f) ? '' : ' (encoder missing)'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Frame rate
          <select value={fps} onChange={(e) => setFps(e.target.value)} disabled={!!running} data-testid="export-fps">
            <option value="">Keep the render's</option>
            {exportFrameRates.map((r) => (
              <option key={r} value={r}>
                {r} fps
              </option>
            ))}
          </select>
        </label>
        {fps && (
          <label>
            New frames by
            <select value={method} onChange={(e) => setMethod(e.target.value as 'interpolate' | 'repeat')} disabled={!!running}>
              <option value="interpolate">Motion interpolation (smooth, slower)</option>
              <option value="repeat">Repeating frames (fast)</option>
            </select>
          </label>
        )}
        <label>
          Size
          <select value={height} onChange={(e) => setHeight(e.target.value)} disabled={!!running} data-testid="export-height">
            <option value="">Keep the render's</option>
            {exportHeights.map((h) => (
              <option key={h} value={h}>
                {h}p {h < 1080 ? '(smaller, for sharing)' : '(lanczos upscale)'}
              </option>
            ))}
          </select>
        </label>
        {sizeApplies && (
          <label>
            Fit in
            <select value={targetSize} onChange={(e) => setTargetSize(e.target.value)} disabled={!!running} data-testid="export-target-size">
              <option value="">Any size (best quality)</option>
              <option value="8">8 MB (chat apps)</option>
              <option value="10">10 MB</option>
              <option value="25">25 MB (email)</option>
              <option value="50">50 MB</option>
              <option value="100">100 MB</option>
            </select>
          </label>
        )}
        {format !== 'gif' && (
          <label className="inline">
            <input type="checkbox" checked={loudnorm} onChange={(e) => setLoudnorm(e.target.checked)} disabled={!!running} /> Normalize loudness (EBU R128)
          </label>
        )}
      </div>
      {progress && running && (
        <div className="export-progress">
          <span className="muted">{progress.stage === 'loudness' ? 'Measuring loudness…' : 'Encoding…'}</span>
          <progress max={1} value={progress.fraction ?? undefined} data-testid="export-progress" />
        </div>
      )}
      {result && (
        <p data-testid="export-result">
          Exported {formatBytes(result.sizeBytes)}.{' '}
          <a href={studio().mediaUrl(result.file)} download>
            Download
          </a>
        </p>
      )}
      {error && (
        <p className="error-banner" role="alert" data-testid="export-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        {running ? (
          <button type="button" onClick={cancel} data-testid="export-cancel">
            Cancel export
          </button>
        ) : (
          <button type="button" onClick={close}>
            Close
          </button>
        )}
        <button type="button" className="primary" onClick={() => void start()} disabled={!!running} data-testid="export-start">
          Export
        </button>
      </div>
    </dialog>
  );
}
