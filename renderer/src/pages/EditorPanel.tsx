import { useEffect, useRef } from 'react';
import type { Asset, ProjectDetail, ProjectState, TrimRange } from '../../../main/core/contract/types';
import { AnimatePreview } from '../components/animate/AnimatePreview';
import { Filmstrip } from '../components/Filmstrip';
import { RenderPanel } from '../components/RenderPanel';
import { SelectionPlayer } from '../components/selectionPlayer';
import { Thumb } from '../components/Thumb';
import { TrimTimeline } from '../components/TrimTimeline';
import { Waveform } from '../components/Waveform';
import type { StatePatch } from '../editor/editorStore';
import { useEditorState } from '../editor/useEditorState';
import { studio } from '../studio';

type Patch = StatePatch;

function AssetPicker(props: { label: string; assets: Asset[]; selected: string | null; onPick: (id: string) => void; empty: string; testId: string }) {
  if (props.assets.length === 0) return <p className="muted">{props.empty}</p>;
  return (
    <div className="picker" role="radiogroup" aria-label={props.label} data-testid={props.testId}>
      {props.assets.map((a) => (
        <button
          key={a.id}
          type="button"
          role="radio"
          aria-checked={a.id === props.selected}
          className={`pick ${a.id === props.selected ? 'picked' : ''}`}
          onClick={() => props.onPick(a.id)}
          title={a.name}
        >
          <Thumb path={a.thumb} alt="" placeholder={a.kind} />
          <span>{a.name}</span>
        </button>
      ))}
    </div>
  );
}

function AudioTimeline({ asset, trim, onTrim }: { asset: Asset; trim: TrimRange; onTrim: (t: TrimRange) => void }) {
  const player = useRef<HTMLAudioElement>(null);
  const selection = useRef<SelectionPlayer | null>(null);
  // Leaving the editor (or switching the audio) takes the end-of-selection watcher off the element.
  useEffect(() => () => selection.current?.dispose(), []);
  const duration = asset.media.durationSec ?? 0;
  const playSelection = () => {
    const a = player.current;
    if (!a) return;
    selection.current ??= new SelectionPlayer(a);
    void selection.current.play(trim.inSec, trim.outSec ?? duration);
  };
  return (
    <>
      <TrimTimeline durationSec={duration} trim={trim} onChange={onTrim} label="Audio trim">
        <Waveform assetId={asset.id} height={96} />
      </TrimTimeline>
      <div className="row">
        <button type="button" onClick={playSelection}>
          Play selection
        </button>
        <audio ref={player} src={studio().mediaUrl(asset.playback ?? asset.file)} preload="metadata" controls className="player" />
      </div>
    </>
  );
}

/** S2V: a portrait and the speech or song, trimmed on its waveform. */
function S2vInputs({ detail, state, update }: { detail: ProjectDetail; state: ProjectState; update: (p: Patch) => void }) {
  const images = detail.assets.filter((a) => a.kind === 'image');
  const sounds = detail.assets.filter((a) => a.media.audioCodec !== null);
  const silent = detail.assets.filter((a) => a.kind === 'video' && a.media.audioCodec === null);
  const audio = sounds.find((a) => a.id === state.s2v.audioAssetId) ?? null;
  return (
    <div className="editor-inputs">
      <section>
        <h2>Portrait</h2>
        <AssetPicker label="Portrait" testId="pick-portrait" assets={images} selected={state.s2v.imageAssetId} onPick={(id) => update({ s2v: { imageAssetId: id } })} empty="Import a portrait image (PNG, JPEG or WebP) in the Media tab." />
      </section>
      <section>
        <h2>Voice or song</h2>
        <AssetPicker label="Audio" testId="pick-audio" assets={sounds} selected={state.s2v.audioAssetId} onPick={(id) => update({ s2v: { audioAssetId: id, audioTrim: { inSec: 0, outSec: null } } })} empty="Import the speech or song (WAV, MP3, FLAC, or a video with sound)." />
        {silent.length > 0 && (
          <p className="muted" data-testid="silent-videos">
            {silent.map((a) => a.name).join(', ')} {silent.length === 1 ? 'has' : 'have'} no sound, so {silent.length === 1 ? 'it cannot be' : 'they cannot be'} the voice.
          </p>
        )}
        {audio && <AudioTimeline key={audio.id} asset={audio} trim={state.s2v.audioTrim} onTrim={(t) => update({ s2v: { audioTrim: t } })} />}
      </section>
    </div>
  );
}

/** Animate: the driving video, trimmed on its filmstrip, and the character image. */
function AnimateInputs({ detail, state, update }: { detail: ProjectDetail; state: ProjectState; update: (p: Patch) => void }) {
  const videos = detail.assets.filter((a) => a.kind === 'video');
  const images = detail.assets.filter((a) => a.kind === 'image');
  const video = videos.find((a) => a.id === state.animate.videoAssetId) ?? null;
  return (
    <div className="editor-inputs">
      <section>
        <h2>Driving video</h2>
        <AssetPicker label="Driving video" testId="pick-video" assets={videos} selected={state.animate.videoAssetId} onPick={(id) => update({ animate: { videoAssetId: id, videoTrim: { inSec: 0, outSec: null } } })} empty="Import the video whose motion the character should follow." />
        {video && video.filmstrip && (
          <>
            <TrimTimeline durationSec={video.media.durationSec ?? 0} trim={state.animate.videoTrim} onChange={(t) => update({ animate: { videoTrim: t } })} label="Video trim">
              <Filmstrip strip={video.filmstrip} height={72} />
            </TrimTimeline>
          </>
        )}
        {video && <AnimatePreview key={video.id} video={video} params={state.animate.params} referenceAssetId={state.animate.referenceAssetId} />}
      </section>
      <section>
        <h2>Character</h2>
        <AssetPicker label="Character" testId="pick-character" assets={images} selected={state.animate.referenceAssetId} onPick={(id) => update({ animate: { referenceAssetId: id } })} empty="Import an image of the character (full body works best)." />
      </section>
    </div>
  );
}

export function EditorPanel({ detail, onQueued }: { detail: ProjectDetail; onQueued: () => void }) {
  const { state, store, saveStatus } = useEditorState(detail.project.id, detail.state);
  const update = (patch: Patch) => store.update(patch);
  const app = detail.project.app;
  return (
    <div className="editor">
      <p className="save-status muted" data-testid="save-status" data-status={saveStatus} aria-live="polite">
        {saveStatus === 'saving' ? 'Saving…' : 'All changes saved'}
      </p>
      {app === 's2v' ? <S2vInputs detail={detail} state={state} update={update} /> : <AnimateInputs detail={detail} state={state} update={update} />}
      <RenderPanel
        detail={detail}
        state={state}
        onParams={(params) => update(app === 's2v' ? { s2v: { params } } : { animate: { params } })}
        onEngine={(engine) => update({ engine })}
        beforeSubmit={() => store.flush()}
        onQueued={onQueued}
      />
    </div>
  );
}
