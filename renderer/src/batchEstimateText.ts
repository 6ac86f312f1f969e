import type { BatchEstimateDto } from '../../main/core/contract/index';
import { spanText } from './time';

const renders = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The expected-time sentence: from how many finished jobs, or that there is no history yet. */
function timeText(e: BatchEstimateDto, engineWord: string): string {
  if (e.eachMs === null || e.totalMs === null) return `No history yet: no finished ${engineWord} render like these to estimate the time from.`;
  const lanes = e.runsOn === 'cloud' ? ` with ${Math.min(e.cloudConcurrency, e.renders)} at once` : ', one after another';
  const unestimated = e.unestimated > 0 ? ` (${renders(e.unestimated, 'render')} without history not counted)` : '';
  return `Expected about ${spanText(e.eachMs)} each, about ${spanText(e.totalMs)} for the batch${lanes}${unestimated}, from ${renders(e.pastJobs, `finished ${engineWord} render`)}.`;
}

/** What the batch will start, said before it is queued: paid cloud renders first. */
export function batchEstimateText(e: BatchEstimateDto): { cost: string; time: string | null; fallback: string | null } {
  if (e.runsOn === null) return { cost: e.why, time: null, fallback: null };
  if (e.runsOn === 'cloud') {
    return { cost: `Starts ${renders(e.cloudRenders, 'cloud render')} on inference.sh (each one is paid).`, time: timeText(e, 'cloud'), fallback: null };
  }
  const fallback =
    e.mayGoToCloud > 0
      ? `Cloud fallback is allowed: each of them may start a paid cloud render instead if the GPU is busy when it starts (up to ${renders(e.mayGoToCloud, 'cloud render')}).`
      : null;
  return { cost: fallback ? 'Renders on this computer.' : 'Renders on this computer: no cloud renders.', time: timeText(e, 'local'), fallback };
}
