import type { FilmstripInfo } from '../../../main/core/contract/types';
import { studio } from '../studio';

/** The video's filmstrip image stretched across the timeline's width. */
export function Filmstrip({ strip, height = 60 }: { strip: FilmstripInfo; height?: number }) {
  return (
    <div className="filmstrip" style={{ height }}>
      <img src={studio().mediaUrl(strip.file)} alt={`Filmstrip of ${strip.times.length} frames`} data-testid="filmstrip" draggable={false} />
    </div>
  );
}
