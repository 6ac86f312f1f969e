import { useEffect, useRef, useState } from 'react';
import type { FramePreviewDto } from '../../../../main/core/contract/animateTypes';
import { errorMessage } from '../../errorMessage';
import { studio } from '../../studio';

/**
 * The people at the playhead: asks the core for the frame at `atSec`, one request at a time,
 * always ending on the latest time asked for (scrubbing does not queue a request per pixel).
 * Answers are kept by time, so going back to a frame is instant.
 */
export function usePreviewFrame(assetId: string, atSec: number, refreshKey: number) {
  const [frame, setFrame] = useState<FramePreviewDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cache = useRef(new Map<string, FramePreviewDto>());
  const inFlight = useRef(false);
  const wanted = useRef(atSec);
  wanted.current = atSec;

  useEffect(() => {
    cache.current.clear();
  }, [assetId, refreshKey]);

  useEffect(() => {
    let alive = true;
    const key = (t: number) => t.toFixed(2);
    const fetchLatest = async () => {
      if (inFlight.current) return;
      const t = wanted.current;
      const hit = cache.current.get(key(t));
      if (hit) {
        setFrame(hit);
        return;
      }
      inFlight.current = true;
      setBusy(true);
      try {
        const f = await studio().animate.previewFrame({ assetId, atSec: t });
        cache.current.set(key(t), f);
        if (alive) {
          setFrame(f);
          setError(null);
        }
      } catch (e) {
        if (alive) setError(errorMessage(e));
      } finally {
        inFlight.current = false;
        if (alive) setBusy(false);
      }
      if (alive && key(wanted.current) !== key(t)) void fetchLatest();
    };
    void fetchLatest();
    return () => {
      alive = false;
    };
  }, [assetId, atSec, refreshKey]);

  return { frame, error, busy };
}
