import { useEffect, useRef, useState, type FormEvent } from 'react';
import { projectNameSchema } from '../../../main/core/contract/schemas';
import type { Project, StudioApp } from '../../../main/core/contract/types';
import { AppBadge, appLabel } from '../components/AppBadge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Thumb } from '../components/Thumb';
import { errorMessage } from '../errorMessage';
import { useStudioData } from '../hooks/useStudioData';
import { hrefFor, navigate } from '../router';
import { studio } from '../studio';
import { timeAgo } from '../time';
import { useToasts } from '../toasts';

/** What is wrong with a typed project name, worded with the field's label; null when it is fine. */
export function projectNameProblem(name: string, label = 'Project name'): string | null {
  const r = projectNameSchema.safeParse(name);
  if (r.success) return null;
  if (name.trim() === '') return `${label}: type a name for the project; it cannot be empty.`;
  return `${label}: ${r.error.issues[0]?.message ?? 'is not a valid name'}.`;
}

function NewProjectForm({ onDone }: { onDone: () => void }) {
  const toasts = useToasts();
  const [name, setName] = useState('');
  // Settings → "New projects are" decides the kind the form starts with.
  const [chosenApp, setApp] = useState<StudioApp | null>(null);
  const settings = useStudioData(() => studio().settings.get({}), []);
  const app = chosenApp ?? settings.data?.settings.defaultApp ?? 's2v';
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const wrong = projectNameProblem(name);
    setProblem(wrong);
    if (wrong) return;
    setBusy(true);
    try {
      const project = await studio().library.createProject({ name, app });
      onDone();
      navigate({ page: 'project', id: project.id });
    } catch (err) {
      toasts.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="new-project" onSubmit={(e) => void submit(e)} aria-label="New project" noValidate>
      <input
        autoFocus
        placeholder="Project name"
        aria-label="Project name"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'new-project-problem' : undefined}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setProblem(null);
        }}
        maxLength={120}
      />
      <select aria-label="Kind of project" value={app} onChange={(e) => setApp(e.target.value as StudioApp)}>
        {(Object.keys(appLabel) as StudioApp[]).map((a) => (
          <option key={a} value={a}>
            {appLabel[a]}
          </option>
        ))}
      </select>
      <button type="submit" className="primary" disabled={busy}>
        Create
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      {problem && (
        <p className="error-text form-problem" id="new-project-problem" role="alert" data-testid="new-project-problem">
          {problem}
        </p>
      )}
    </form>
  );
}

const renderWords = { queued: 'Render queued', running: 'Rendering', completed: 'Last render done', failed: 'Last render failed', cancelled: 'Last render cancelled' } as const;

/** Where the project's newest render stands, on its card. */
function RenderState({ render }: { render: NonNullable<Project['lastRender']> }) {
  return (
    <div className={`card-render render-${render.status}`} data-testid="card-render" data-status={render.status}>
      {renderWords[render.status]}
      {render.status === 'running' && ` · ${Math.round(render.progress * 100)}%`}
    </div>
  );
}

function ProjectCard({ project, onDelete }: { project: Project; onDelete: (p: Project) => void }) {
  const toasts = useToasts();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(project.name);
  const saveName = async (e: FormEvent) => {
    e.preventDefault();
    const wrong = projectNameProblem(name, 'New name');
    if (wrong) {
      toasts.error(wrong);
      return;
    }
    try {
      await studio().library.renameProject({ id: project.id, name });
      setRenaming(false);
    } catch (err) {
      toasts.error(errorMessage(err));
    }
  };
  return (
    <li className="card project-card" data-testid="project-card" data-project-id={project.id}>
      <a href={hrefFor({ page: 'project', id: project.id })} className="card-thumb-link" tabIndex={-1}>
        <Thumb path={project.thumb} alt={`${project.name} thumbnail`} placeholder={project.assetCount === 0 ? 'Empty' : 'No preview'} />
      </a>
      <div className="card-body">
        {renaming ? (
          <form onSubmit={(e) => void saveName(e)} className="rename-form">
            <input autoFocus aria-label="New name" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
            <button type="submit" className="primary">
              Save
            </button>
            <button type="button" onClick={() => (setRenaming(false), setName(project.name))}>
              Cancel
            </button>
          </form>
        ) : (
          <a className="card-title" href={hrefFor({ page: 'project', id: project.id })}>
            {project.name}
          </a>
        )}
        <div className="card-meta">
          <AppBadge app={project.app} />
          <span>
            {project.assetCount} {project.assetCount === 1 ? 'file' : 'files'} · {timeAgo(project.updatedAt)}
          </span>
        </div>
        {project.lastRender && <RenderState render={project.lastRender} />}
        <div className="card-actions">
          <button type="button" onClick={() => setRenaming(true)}>
            Rename
          </button>
          <button type="button" className="danger-text" onClick={() => onDelete(project)}>
            Delete
          </button>
        </div>
      </div>
    </li>
  );
}

/** Reloads the cards when a render changes status or moves on by a tenth (not on every progress tick). */
function useRenderStateRefresh(reload: () => void) {
  const seen = useRef(new Map<string, string>());
  useEffect(
    () =>
      studio().on('render.job', (job) => {
        const key = `${job.status}:${Math.floor(job.progress * 10)}`;
        if (seen.current.get(job.id) === key) return;
        seen.current.set(job.id, key);
        reload();
      }),
    [reload],
  );
}

/** Import project…: a .wanproj archive becomes a new project (uploaded in a browser, by path in the app). */
function ImportProjectButton() {
  const toasts = useToasts();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const importArchive = async (file: File) => {
    setBusy(`Importing ${file.name}…`);
    try {
      const source = await studio().prepareFile(file, (sent, total) => setBusy(`Uploading ${file.name}… ${Math.round((sent / Math.max(total, 1)) * 100)}%`));
      setBusy(`Importing ${file.name}…`);
      const r = await studio().library.importProject({ source });
      const renamed = r.renamedFrom ? ` (the library already had a “${r.renamedFrom}”)` : '';
      toasts.info(`Imported “${r.project.name}”${renamed}: ${r.project.assetCount} media, ${r.outputs} outputs${r.presetsAdded ? `, ${r.presetsAdded} new presets` : ''}.`);
      navigate({ page: 'project', id: r.project.id });
    } catch (err) {
      toasts.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={!!busy} data-testid="project-import">
        {busy ?? 'Import project…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".wanproj,application/zip"
        hidden
        data-testid="project-import-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importArchive(file);
        }}
      />
    </>
  );
}

export function LibraryPage() {
  const toasts = useToasts();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const projects = useStudioData(() => studio().library.listProjects(search ? { search } : {}), [search], { event: 'library.changed' });
  useRenderStateRefresh(projects.reload);

  const confirmDelete = async () => {
    const p = deleting;
    setDeleting(null);
    if (!p) return;
    try {
      await studio().library.deleteProject({ id: p.id });
      toasts.info(`Deleted "${p.name}".`);
    } catch (err) {
      toasts.error(errorMessage(err));
    }
  };

  return (
    <section className="page" aria-labelledby="library-title">
      <header className="page-header">
        <h1 id="library-title">Library</h1>
        <input type="search" className="search" placeholder="Search projects" aria-label="Search projects" value={search} onChange={(e) => setSearch(e.target.value)} />
        <ImportProjectButton />
        {!creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New project
          </button>
        )}
      </header>
      {creating && <NewProjectForm onDone={() => setCreating(false)} />}
      {projects.error && (
        <p className="error-banner" role="alert">
          {projects.error}
        </p>
      )}
      {projects.data && projects.data.length === 0 && !search && (
        <div className="empty-state">
          <h2>No projects yet</h2>
          <p>A project holds the portrait, audio or driving video you bring in, and the renders you make from them.</p>
          {!creating && (
            <button type="button" className="primary" onClick={() => setCreating(true)}>
              Create your first project
            </button>
          )}
        </div>
      )}
      {projects.data && projects.data.length === 0 && search && <p className="muted">No project name contains “{search}”.</p>}
      {projects.data && projects.data.length > 0 && (
        <ul className="card-grid" aria-label="Projects">
          {projects.data.map((p) => (
            <ProjectCard key={p.id} project={p} onDelete={setDeleting} />
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          body={`Its ${deleting.assetCount} imported ${deleting.assetCount === 1 ? 'file' : 'files'}, renders and outputs are removed from the library. Your original files elsewhere on disk are not touched. This cannot be undone.`}
          confirmLabel="Delete project"
          onConfirm={() => void confirmDelete()}
          onCancel={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
