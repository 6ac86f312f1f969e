import { StudioError } from '../contract/errors';
import type { ToolPreferences } from './ffmpegBinaries';
import { startFfmpeg } from './ffmpegCommand';
import { fileUrl } from './fileUrl';

/** EBU R128 targets for online video: -16 LUFS integrated, -1.5 dBTP true peak, 11 LU range. */
export const LOUDNESS_TARGET = { I: -16, TP: -1.5, LRA: 11 } as const;

export interface LoudnessMeasurement {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

/**
 * Pass one of two-pass loudnorm: measure the source. loudnorm reports its measurement as a JSON
 * block in the log; that block is the filter's documented output, not progress text.
 */
export async function measureLoudness(source: string, options: { tools?: ToolPreferences; signal?: AbortSignal; displayName?: string } = {}): Promise<LoudnessMeasurement> {
  const name = options.displayName ?? source;
  const { I, TP, LRA } = LOUDNESS_TARGET;
  const run = startFfmpeg({
    label: `Measuring the loudness of ${name}`,
    outputs: [],
    args: () => ['-i', fileUrl(source), '-map', '0:a:0', '-vn', '-af', `loudnorm=I=${I}:TP=${TP}:LRA=${LRA}:print_format=json`, '-f', 'null', '-'],
    logLevel: 'info',
    tools: options.tools,
    signal: options.signal,
    hidePaths: [source],
  });
  await run.done;
  const log = run.stderrTail();
  const start = log.lastIndexOf('{');
  const end = log.lastIndexOf('}');
  try {
    const m = JSON.parse(log.slice(start, end + 1)) as LoudnessMeasurement;
    if (!m.input_i || m.input_i === '-inf') throw new Error('silent');
    return m;
  } catch {
    throw new StudioError('unsupported_media', `The loudness of ${name} could not be measured (is it silent?). Export without loudness normalisation.`);
  }
}

/** Pass two: the loudnorm filter with the measured values, linear mode. */
export function loudnormFilter(m: LoudnessMeasurement): string {
  const { I, TP, LRA } = LOUDNESS_TARGET;
  return (
    `loudnorm=I=${I}:TP=${TP}:LRA=${LRA}:measured_I=${m.input_i}:measured_TP=${m.input_tp}:` +
    `measured_LRA=${m.input_lra}:measured_thresh=${m.input_thresh}:offset=${m.target_offset}:linear=true`
  );
}
