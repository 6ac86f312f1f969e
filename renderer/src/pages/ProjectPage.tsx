import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { OutputDto } from '../../../main/core/contract/index';
import type { Asset } from '../../../main/core/contract/types';
import { editorStoreFor } from '../editor/editorStore';
import { knownParams } from '../editor/paramDefaults';
import { AppBadge } from '../components/AppBadge';
import { AssetCard } from '../components/AssetCard';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ImportList, type ImportEntry } from '../components/ImportList';
import { ProjectExportDialog } from '../components/ProjectExportDialog';
import { errorMessage } from '../errorMessage';
import { useStudioData } from '../hooks/useStudioData';
import { hrefFor, replaceRoute, type ProjectTab } from '../router';
import { studio } from '../studio';
import { useToasts } from '../toasts';
import { EditorPanel } from './EditorPanel';
import { RendersPanel } from './RendersPanel';

const ACCEPT = 'image/*,audio/*,video/*,.mkv,.avi,.mov,.webm,.flac,.m4a';

export function ProjectPage({ id, initialTab, initialOutput }: { id: string; initialTab: ProjectTab | null; initialOutput: string | null }) {
  const toasts = useToasts();
  const [entries, setEntries] = useState<ImportEntry[]>([]);
  const [dragging, setDragging] = useState(false);
  const [removing, setRemoving] = useState<Asset | null>(null);
  const [exporting, setExporting] = useState(false);
  const [tab, setTab] = useState<ProjectTab | null>(initialTab);
  const [selectedOutput, setSelectedOutput] = useState<string | null>(initialOutput);
  // The tab and the selected output live in the URL: a reload comes back to them.
  useEffect(() => {
    if (tab) replaceRoute({ page: 'project', id, tab, ...(tab === 'renders' && selectedOutput ? { output: selectedOutput } : {}) });
  }, [id, tab, selectedOutput]);
  const nextKey = useRef(1);
  const fileInput = useRef<HTMLInputElement>(null);
  const isMine = useCallback((p: { projectId: string | null }) => p.projectId === id, [id]);
  const detail = useStudioData(() => studio().library.getProject({ id }), [id], { event: 'library.changed', when: isMine });

  const update = (key: number, patch: Partial<ImportEntry>) => setEntries((list) => list.map((e) => (e.key === key ? { ...e, ...patch } : e)));

  // The core reports its own stages (copying, probing, thumbnail) for the file being imported.
  useEffect(
    () =>
      studio().on('media.importProgress', (p) => {
        if (p.projectId !== id || p.stage === 'done' || p.stage === 'failed') return;
        setEntries((list) =>
          list.map((e) =>
            e.name === p.name && e.stage !== 'done' && e.stage !== 'failed' && e.stage !== 'deduped'
              ? { ...e, stage: p.stage as ImportEntry['stage'], done: p.bytesDone, total: p.bytesTotal ?? e.total }
              : e,
          ),
        );
      }),
    [id],
  );

  const importFiles = async (files: File[]) => {
    // Stay on the view the person is looking at while the new files arrive.
    setTab((t) => t ?? (assets.length > 0 ? 'editor' : 'media'));
    const queued = files.map((f) => ({ file: f, key: nextKey.current++ }));
    setEntries((list) => [...list, ...queued.map(({ file, key }) => ({ key, name: file.name, stage: 'uploading' as const, done: 0, total: file.size }))]);
    for (const { file, key } of queued) {
      try {
        const source = await studio().prepareFile(file, (sent, total) => update(key, { done: sent, total }));
        const result = await studio().media.import({ projectId: id, source });
        update(key, { stage: result.deduped ? 'deduped' : 'done', done: file.size });
      } catch (err) {
        update(key, { stage: 'failed', error: errorMessage(err) });
      }
    }
  };

  const reuse = (o: OutputDto) => {
    const app = detail.data?.project.app;
    if (!app || !detail.data) return;
    const params = knownParams(app, o.settings);
    const store = editorStoreFor(id, detail.data.state);
    store.checkpointTrims();
    // The picked person belongs to the driving video it was picked in: restored only with that video.
    const sameVideo = o.sourceAssetId !== null && o.sourceAssetId === store.get().animate.videoAssetId;
    store.update(
      app === 's2v'
        ? { s2v: { params, ...(o.trim ? { audioTrim: o.trim } : {}) } }
        : { animate: { params, ...(o.trim ? { videoTrim: o.trim } : {}), ...(sameVideo ? { person: o.person } : {}) } },
    );
    setTab('editor');
    toasts.info(`Loaded the settings${o.seed !== null ? ` and seed ${o.seed}` : ''} of that output into the editor.`);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length > 0) void importFiles(files);
  };

  const confirmRemove = async () => {
    const a = removing;
    setRemoving(null);
    if (!a) return;
    try {
      await studio().media.removeAsset({ assetId: a.id });
    } catch (err) {
      toasts.error(errorMessage(err));
    }
  };

  if (detail.error && !detail.data) {
    return (
      <section className="page">
        <a href={hrefFor({ page: 'library' })}>← Library</a>
        <p className="error-banner" role="alert">
          {detail.error}
        </p>
      </section>
    );
  }
  const project = detail.data?.project;
  const assets = detail.data?.assets ?? [];
  const shown = tab ?? (assets.length > 0 ? 'editor' : 'media');

  return (
    <section
      className={`page project-page ${dragging ? 'dragging' : ''}`}
      aria-labelledby="project-title"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <nav className="breadcrumb">
        <a href={hrefFor({ page: 'library' })}>Library</a> / <span>{project?.name ?? '…'}</span>
      </nav>
      <header className="page-header">
        <h1 id="project-title">{project?.name ?? 'Loading…'}</h1>
        {project && <AppBadge app={project.app} />}
        <button type="button" className="primary" onClick={() => fileInput.current?.click()}>
          Import media…
        </button>
        <button type="button" onClick={() => setExporting(true)} disabled={!project} data-testid="project-export">
          Export project…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          data-testid="import-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) void importFiles(files);
          }}
        />
      </header>
      <div className="tabs" role="tablist" aria-label="Project views">
        <button type="button" role="tab" aria-selected={shown === 'editor'} onClick={() => setTab('editor')}>
          {project?.app === 'animate' ? 'Animate' : 'Speech-to-video'}
        </button>
        <button type="button" role="tab" aria-selected={shown === 'renders'} onClick={() => setTab('renders')}>
          Renders
        </button>
        <button type="button" role="tab" aria-selected={shown === 'media'} onClick={() => setTab('media')}>
          Media ({assets.length})
        </button>
      </div>
      <ImportList entries={entries} onDismiss={(key) => setEntries((l) => l.filter((x) => x.key !== key))} />
      {shown === 'editor' && detail.data && <EditorPanel key={detail.data.project.id} detail={detail.data} onQueued={() => setTab('renders')} />}
      {shown === 'renders' && <RendersPanel
          projectId={id}
          assets={assets}
          onRenderAgain={() => setTab('editor')}
          onReuse={reuse}
          selectedOutput={selectedOutput}
          onSelectOutput={setSelectedOutput}
        />}
      {shown === 'media' && assets.length === 0 && detail.data && (
        <div className="drop-hint empty-state">
          <h2>Bring in your media</h2>
          <p>Drop a portrait, an audio track or a driving video here, or use “Import media…”. Files are copied into the library; your originals stay where they are.</p>
        </div>
      )}
      {shown === 'media' && assets.length > 0 && (
        <ul className="card-grid asset-grid" aria-label="Media">
          {assets.map((a) => (
            <AssetCard key={a.id} asset={a} onRemove={setRemoving} />
          ))}
        </ul>
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop to import
        </div>
      )}
      {exporting && project && <ProjectExportDialog projectId={id} projectName={project.name} onClose={() => setExporting(false)} />}
      {removing && (
        <ConfirmDialog
          title={`Remove “${removing.name}”?`}
          body="It is removed from this project. Your original file elsewhere on disk is not touched."
          confirmLabel="Remove"
          onConfirm={() => void confirmRemove()}
          onCancel={() => setRemoving(null)}
        />
      )}
    </section>
  );
}
