import { useState } from 'react';
import type { Asset, ProjectDetail, ProjectState } from '../../../main/core/contract/types';
import { AnimatePreview } from '../components/animate/AnimatePreview';
import { CharacterCheck } from '../components/animate/CharacterCheck';
import { Filmstrip } from '../components/Filmstrip';
import { RenderPanel } from '../components/RenderPanel';
import { Thumb } from '../components/Thumb';
import { Waveform } from '../components/Waveform';
import type { StatePatch } from '../editor/editorStore';
import { animateSizeFor } from '../editor/animateSize';
import { useEditorState } from '../editor/useEditorState';
import { useTrimUndoKeys } from '../editor/useTrimUndoKeys';
import { MediaTimeline } from '../timeline/MediaTimeline';
import { timelineFps } from '../timeline/timecode';
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

/** S2V: a portrait and the speech or song, trimmed on its waveform. */
interface InputsProps {
  detail: ProjectDetail;
  state: ProjectState;
  update: (p: Patch) => void;
  onTrimStart: () => void;
}

function S2vInputs({ detail, state, update, onTrimStart }: InputsProps) {
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
        {audio && (
          <MediaTimeline
            key={audio.id}
            label="Audio trim"
            kind="audio"
            src={studio().mediaUrl(audio.playback ?? audio.file)}
            durationSec={audio.media.durationSec ?? 0}
            fps={timelineFps(audio.media.fps)}
            trim={state.s2v.audioTrim}
            onTrim={(t) => update({ s2v: { audioTrim: t } })}
            onTrimStart={onTrimStart}
          >
            <Waveform assetId={audio.id} height={96} />
          </MediaTimeline>
        )}
      </section>
    </div>
  );
}

/** Animate: the driving video, trimmed on its filmstrip, and the character image. */
/** Width and height follow the driving video's aspect unless the person has set them. */
function withVideoSize(params: Record<string, unknown>, video: Asset | undefined): Record<string, unknown> {
  const size = video ? animateSizeFor(video) : null;
  if (!size || params.resolution_width !== undefined || params.resolution_height !== undefined) return params;
  return { ...params, ...size };
}

function AnimateInputs({ detail, state, update, onTrimStart }: InputsProps) {
  const videos = detail.assets.filter((a) => a.kind === 'video');
  const images = detail.assets.filter((a) => a.kind === 'image');
  const video = videos.find((a) => a.id === state.animate.videoAssetId) ?? null;
  const character = images.find((a) => a.id === state.animate.referenceAssetId) ?? null;
  // The timeline's player is the one player: the preview draws its overlays over it.
  const [stage, setStage] = useState<HTMLDivElement | null>(null);
  return (
    <div className="editor-inputs">
      <section>
        <h2>Driving video</h2>
        <AssetPicker label="Driving video" testId="pick-video" assets={videos} selected={state.animate.videoAssetId} onPick={(id) => update({ animate: { videoAssetId: id, videoTrim: { inSec: 0, outSec: null }, person: null, params: withVideoSize(state.animate.params, videos.find((v) => v.id === id)) } })} empty="Import the video whose motion the character should follow." />
        {video && (
          <MediaTimeline
            key={video.id}
            label="Video trim"
            kind="video"
            src={studio().mediaUrl(video.playback ?? video.file)}
            poster={video.poster ? studio().mediaUrl(video.poster) : undefined}
            durationSec={video.media.durationSec ?? 0}
            fps={timelineFps(video.media.fps)}
            trim={state.animate.videoTrim}
            onTrim={(t) => update({ animate: { videoTrim: t } })}
            onTrimStart={onTrimStart}
            onStage={setStage}
          >
            {video.filmstrip ? <Filmstrip strip={video.filmstrip} height={72} /> : <div className="filmstrip" style={{ height: 72 }} />}
          </MediaTimeline>
        )}
        {video && stage && (
          <AnimatePreview
            key={video.id}
            video={video}
            stage={stage}
            params={state.animate.params}
            referenceAssetId={state.animate.referenceAssetId}
            pick={state.animate.person}
            onPick={(person) => update({ animate: { person } })}
          />
        )}
      </section>
      <section>
        <h2>Character</h2>
        <AssetPicker label="Character" testId="pick-character" assets={images} selected={state.animate.referenceAssetId} onPick={(id) => update({ animate: { referenceAssetId: id } })} empty="Import an image of the character (full body works best)." />
        {character && <CharacterCheck key={character.id} character={character} />}
      </section>
    </div>
  );
}

export function EditorPanel({ detail, onQueued }: { detail: ProjectDetail; onQueued: () => void }) {
  const { state, store, saveStatus } = useEditorState(detail.project.id, detail.state);
  const update = (patch: Patch) => store.update(patch);
  useTrimUndoKeys(store);
  const inputs: InputsProps = { detail, state, update, onTrimStart: () => store.checkpointTrims() };
  const app = detail.project.app;
  return (
    <div className="editor">
      <p className="save-status muted" data-testid="save-status" data-status={saveStatus} aria-live="polite">
        {saveStatus === 'saving' ? 'Saving…' : 'All changes saved'}
      </p>
      {app === 's2v' ? <S2vInputs {...inputs} /> : <AnimateInputs {...inputs} />}
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
