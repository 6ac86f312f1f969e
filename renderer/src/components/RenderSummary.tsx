import { formatDuration } from '../../../main/core/contract/format';
import type { RenderCheckDto } from '../../../main/core/contract/index';

export const runsOnLabel = { local: 'This computer', cloud: 'Cloud (inference.sh)' } as const;

/** Who in the driving video is used: the cloud app takes no person, so a pick applies to renders on this computer. */
function personLine(picked: boolean, runsOn: RenderCheckDto['runsOn']): string {
  if (!picked) return 'the largest person in the video (Wan’s rule)';
  if (runsOn === 'cloud') return 'the largest person: the cloud takes no pick (the person you picked applies to renders on this computer)';
  return 'the person you picked on the preview';
}

/** What Render will submit, in words: the engine that actually runs, the prompt, inputs, size, seed. */
export function RenderSummary({ check }: { check: RenderCheckDto }) {
  const { summary } = check;
  return (
    <dl className="render-summary" data-testid="render-summary" aria-label="Render will submit">
      <div>
        <dt>Runs on</dt>
        <dd>
          <span data-testid="summary-engine">{check.runsOn ? runsOnLabel[check.runsOn] : 'nothing can run it (see below)'}</span>
          {check.runsOnReason && (
            <div className="muted summary-engine-reason" data-testid="summary-engine-reason">
              {check.runsOnReason}
            </div>
          )}
        </dd>
      </div>
      <div>
        <dt>Prompt</dt>
        <dd data-testid="summary-prompt" className="summary-prompt">
          {summary.prompt || <span className="muted">empty</span>}
        </dd>
      </div>
      {summary.inputs.map((i) => (
        <div key={i.label}>
          <dt>{i.label}</dt>
          <dd data-testid="summary-input">
            {i.name}
            {i.inSec !== null && i.outSec !== null && (
              <span className="muted">
                {' '}
                {formatDuration(i.inSec)} → {formatDuration(i.outSec)} ({(i.seconds ?? 0).toFixed(2)} s)
              </span>
            )}
          </dd>
        </div>
      ))}
      {summary.person !== undefined && (
        <div>
          <dt>Person</dt>
          <dd data-testid="summary-person">{personLine(summary.person !== null, check.runsOn)}</dd>
        </div>
      )}
      <div>
        <dt>Size</dt>
        <dd data-testid="summary-size">
          {summary.size ? `${summary.size.width}×${summary.size.height}` : '—'}
          {summary.fps !== null && ` at ${summary.fps} fps`}
        </dd>
      </div>
      <div>
        <dt>Seed</dt>
        <dd data-testid="summary-seed">{summary.seed ?? 'random (recorded with the output)'}</dd>
      </div>
    </dl>
  );
}
