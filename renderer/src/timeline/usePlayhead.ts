import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { TrimRange } from '../../../main/core/contract/types';

export interface Playhead {
  time: number;
  playing: boolean;
  /** Signed shuttle speed: 0 stopped, 1 play, 2/4/8 faster, negatives play backwards. */
  speed: number;
  seek: (sec: number) => void;
  toggle: () => void;
  /** J (-1), K (0), L (+1): each press in the same direction doubles the speed, up to 8×. */
  shuttle: (direction: -1 | 0 | 1) => void;
}

const MAX_SPEED = 8;

/**
 * The playhead of a media element, tied both ways: the element's time drives the timeline, and
 * the timeline seeks, plays and shuttles the element. Playback stays inside the trim: it starts
 * at the in point when the playhead is outside the selection and stops at the out point.
 * Backwards play (J) is stepped by seeking, since media elements cannot play in reverse.
 */
export function usePlayhead(media: RefObject<HTMLMediaElement | null>, trim: TrimRange, durationSec: number): Playhead {
  const [time, setTime] = useState(0);
  const [speed, setSpeed] = useState(0);
  const speedRef = useRef(0);
  const bounds = useRef({ inSec: trim.inSec, outSec: trim.outSec ?? durationSec });
  bounds.current = { inSec: trim.inSec, outSec: trim.outSec ?? durationSec };
  const frame = useRef<number | null>(null);

  const stopLoop = () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
  };
  const setShuttle = (s: number) => {
    speedRef.current = s;
    setSpeed(s);
  };

  const stop = useCallback(() => {
    stopLoop();
    media.current?.pause();
    setShuttle(0);
  }, [media]);

  // One frame loop while moving: follows the element forwards, steps it backwards, keeps the trim.
  const loop = useCallback(() => {
    let last = performance.now();
    const tick = (now: number) => {
      const el = media.current;
      if (!el) return;
      const { inSec, outSec } = bounds.current;
      const s = speedRef.current;
      if (s < 0) {
        const next = el.currentTime + (s * (now - last)) / 1000;
        el.currentTime = Math.max(inSec, next);
        if (next <= inSec) return stop();
      } else if (el.currentTime >= outSec) {
        el.currentTime = outSec;
        setTime(outSec);
        return stop();
      }
      last = now;
      setTime(el.currentTime);
      frame.current = requestAnimationFrame(tick);
    };
    stopLoop();
    frame.current = requestAnimationFrame(tick);
  }, [media, stop]);

  const seek = useCallback(
    (sec: number) => {
      const el = media.current;
      const t = Math.min(Math.max(0, sec), durationSec);
      if (el) el.currentTime = t;
      setTime(t);
    },
    [media, durationSec],
  );

  const start = useCallback(
    (s: number) => {
      const el = media.current;
      if (!el) return;
      const { inSec, outSec } = bounds.current;
      if (s > 0 && (el.currentTime < inSec || el.currentTime >= outSec - 0.01)) el.currentTime = inSec;
      if (s < 0 && el.currentTime <= inSec + 0.01) el.currentTime = outSec;
      setShuttle(s);
      if (s > 0) {
        el.playbackRate = s;
        void el.play().catch(() => stop());
      } else el.pause();
      loop();
    },
    [media, loop, stop],
  );

  const shuttle = useCallback(
    (direction: -1 | 0 | 1) => {
      if (direction === 0) return stop();
      const s = speedRef.current;
      start(Math.sign(s) === direction ? Math.min(MAX_SPEED, Math.abs(s) * 2) * direction : direction);
    },
    [start, stop],
  );

  const toggle = useCallback(() => (speedRef.current !== 0 ? stop() : start(1)), [start, stop]);

  // The element's own controls (and the end of the file) move the playhead too.
  useEffect(() => {
    const el = media.current;
    if (!el) return;
    const sync = () => setTime(el.currentTime);
    const onPlay = () => {
      if (speedRef.current <= 0) {
        setShuttle(el.playbackRate || 1);
        loop();
      }
    };
    const onPause = () => {
      if (speedRef.current > 0) stop();
    };
    el.addEventListener('seeked', sync);
    el.addEventListener('timeupdate', sync);
    el.addEventListener('play', onPlay);
    el.addEventListener('pause', onPause);
    return () => {
      el.removeEventListener('seeked', sync);
      el.removeEventListener('timeupdate', sync);
      el.removeEventListener('play', onPlay);
      el.removeEventListener('pause', onPause);
      stopLoop();
    };
  }, [media, loop, stop]);

  return { time, playing: speed !== 0, speed, seek, toggle, shuttle };
}
