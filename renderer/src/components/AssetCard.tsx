import { formatBytes, mediaFacts } from '../../../main/core/contract/format';
import type { Asset } from '../../../main/core/contract/types';
import { Filmstrip } from './Filmstrip';
import { Thumb } from './Thumb';
import { Waveform } from './Waveform';

const kindLabel: Record<Asset['kind'], string> = { image: 'Image', audio: 'Audio', video: 'Video' };

export function AssetCard({ asset, onRemove }: { asset: Asset; onRemove: (a: Asset) => void }) {
  return (
    <li className="card asset-card" data-testid="asset-card" data-kind={asset.kind}>
      <Thumb path={asset.poster ?? asset.thumb} alt={`${asset.name} thumbnail`} placeholder={kindLabel[asset.kind]} />
      {asset.filmstrip && <Filmstrip strip={asset.filmstrip} height={36} />}
      {asset.kind === 'audio' && asset.hasPeaks && <Waveform assetId={asset.id} height={40} className="card-waveform" />}
      <div className="card-body">
        <div className="card-title" title={asset.name}>
          {asset.name}
        </div>
        <div className="card-meta">
          <span className={`badge badge-kind-${asset.kind}`}>{kindLabel[asset.kind]}</span>
          <span>{formatBytes(asset.sizeBytes)}</span>
        </div>
        <dl className="facts">
          {mediaFacts(asset.kind, asset.media).map(([label, value]) => (
            <div key={label} className="fact">
              <dt>{label}</dt>
              <dd data-testid={`fact-${label.toLowerCase().replace(/\s+/g, '-')}`}>{value}</dd>
            </div>
          ))}
        </dl>
        <div className="card-actions">
          <button type="button" className="danger-text" onClick={() => onRemove(asset)}>
            Remove
          </button>
        </div>
      </div>
    </li>
  );
}
