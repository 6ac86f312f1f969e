import { useState } from 'react';
import { studio } from '../studio';

/** A library thumbnail, or a labelled placeholder when there is none or it fails to load. */
export function Thumb(props: { path: string | null; alt: string; placeholder: string; className?: string }) {
  const [failed, setFailed] = useState(false);
  if (!props.path || failed) {
    return (
      <div className={`thumb thumb-empty ${props.className ?? ''}`} aria-label={props.alt}>
        {props.placeholder}
      </div>
    );
  }
  return (
    <img
      className={`thumb ${props.className ?? ''}`}
      src={studio().mediaUrl(props.path)}
      alt={props.alt}
      loading="lazy"
      onError={() => setFailed(true)}
    />
  );
}
