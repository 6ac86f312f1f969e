import { useEffect, useRef } from 'react';
import { EndOfWork } from '../endOfWork';
import { studio } from '../studio';

type Sound = 'done' | 'failed';

/** Two soft notes up when everything is done, two down when a render failed: no sound file to ship. */
function play(kind: Sound): void {
  const Ctx = window.AudioContext as typeof AudioContext | undefined;
  if (!Ctx) return;
  const ctx = new Ctx();
  const notes = kind === 'done' ? [660, 880] : [440, 330];
  notes.forEach((hz, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    const at = ctx.currentTime + i * 0.16;
    osc.frequency.value = hz;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 0.16);
  });
  window.setTimeout(() => void ctx.close(), 600);
}

/**
 * When Settings → Render queue → "Play a sound when work ends" is on: a sound when a render fails,
 * and one when the last running or waiting render has finished (not one per job of a batch).
 */
export function useEndSound(enabled: boolean): void {
  const on = useRef(enabled);
  on.current = enabled;
  useEffect(() => {
    const end = new EndOfWork();
    return studio().on('render.job', (job) => {
      // Every event is counted (work starting again matters while the sound is off too); only playing waits for the setting.
      const next = end.onJob(job);
      if (!on.current) return;
      if (next === 'failed') return play('failed');
      if (next !== 'ask') return;
      void studio()
        .queue.list({ limit: 1 })
        .then((q) => {
          if (end.onCounts(q.counts)) play('done');
        })
        .catch(() => undefined);
    });
  }, []);
}
