import { downloadName } from '../contract/format';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../contract/errors';
import { exportFormatInfo, type PostProcessSpec } from '../contract/postProcess';
import type { ExportResult, OutputDto } from '../contract/index';
import type { EventBus } from '../eventBus';
import type { Library } from '../library/library';
import type { OutputRecord } from '../library/outputRepository';
import { resolveInsideLibrary, toLibraryPath } from '../library/paths';
import type { Disposable } from '../lifecycle';
import { probeMedia } from '../media/probe';
import { runPostProcess } from '../media/postProcess';
import { jobFolder } from './jobInputs';

const sizeOf = (path: string): number | null => {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
};

/** Finished videos: listing, removing, and export presets with progress and cancel. */
export class OutputService implements Disposable {
  private readonly exports = new Map<string, AbortController>();

  constructor(
    private readonly library: Library,
    private readonly events: EventBus,
  ) {}

  list(projectId: string): OutputDto[] {
    this.library.projects.get(projectId);
    return this.library.outputs.listByProject(projectId).map((o) => this.dto(o));
  }

  async remove(outputId: string): Promise<void> {
    const output = this.library.outputs.get(outputId);
    this.library.outputs.delete(outputId);
    // Committed: now the files (a crash here leaves files without rows, never the reverse).
    for (const rel of [output.file, output.poster]) {
      const full = rel ? resolveInsideLibrary(this.library.home, rel) : null;
      if (full) await rm(full, { force: true });
    }
    await rm(this.exportsDir(output), { recursive: true, force: true });
  }

  async export(outputId: string, exportId: string, spec: PostProcessSpec): Promise<ExportResult> {
    if (this.exports.has(exportId)) throw new StudioError('conflict', `An export with id ${exportId} is already running.`);
    const output = this.library.outputs.get(outputId);
    const video = resolveInsideLibrary(this.library.home, output.file);
    if (!video || !existsSync(video)) throw new StudioError('not_found', 'The rendered video of this output is missing from the library. Render it again.');
    const controller = new AbortController();
    this.exports.set(exportId, controller);
    const tools = this.library.toolPreferences();
    const emit = (stage: 'loudness' | 'encode' | 'done', fraction: number | null) => this.events.emit('render.exportProgress', { exportId, outputId, stage, fraction });
    try {
      const info = await probeMedia(video, { tools, displayName: 'the rendered video' });
      // S2V: mux the trimmed original-rate audio the render was made from, not the service's re-encode.
      const wav = output.jobId ? join(jobFolder(this.library, output.jobId), 'inputs', 'audio.wav') : null;
      const audio = wav && existsSync(wav) ? { path: wav, info: await probeMedia(wav, { tools, displayName: 'the render audio' }) } : null;
      const fmt = exportFormatInfo[spec.format];
      const name = [`seed${output.seed ?? 'x'}`, spec.format, spec.height ? `${spec.height}p` : null, spec.fps ? `${spec.fps.target}fps` : null, spec.loudnorm ? 'r128' : null, spec.targetSizeMB ? `${spec.targetSizeMB}MB` : null, Date.now().toString(36)]
        .filter(Boolean)
        .join('-');
      const target = join(this.exportsDir(output), `${name}${fmt.extension}`);
      emit(spec.loudnorm ? 'loudness' : 'encode', 0);
      await runPostProcess({ video, info, audio }, spec, target, {
        tools,
        signal: controller.signal,
        metadata: { wan_studio: { seed: output.seed, settings: output.settings } },
        displayName: 'the render',
        onProgress: (p) => emit(p.stage, p.percent === null ? null : p.percent / 100),
      });
      emit('done', 1);
      return { file: toLibraryPath(this.library.home, target), sizeBytes: sizeOf(target) ?? 0 };
    } finally {
      this.exports.delete(exportId);
    }
  }

  cancelExport(exportId: string): boolean {
    const c = this.exports.get(exportId);
    c?.abort();
    return !!c;
  }

  dispose(): void {
    for (const c of this.exports.values()) c.abort();
  }

  private exportsDir(output: OutputRecord): string {
    return join(this.library.layout.outputs, output.projectId, 'exports', output.id);
  }

  private dto(o: OutputRecord): OutputDto {
    const job = o.jobId ? this.library.jobs.find(o.jobId) : null;
    const dir = this.exportsDir(o);
    let exports: OutputDto['exports'];
    try {
      exports = readdirSync(dir)
        .filter((f) => !f.includes('.tmp'))
        .map((f) => {
          const st = statSync(join(dir, f));
          const format = f.split('-')[1] ?? '';
          return { file: toLibraryPath(this.library.home, join(dir, f)), format, sizeBytes: st.size, createdAt: st.mtimeMs };
        })
        .sort((a, b) => b.createdAt - a.createdAt);
    } catch {
      exports = [];
    }
    const full = resolveInsideLibrary(this.library.home, o.file);
    const settings = (o.settings ?? {}) as Record<string, unknown>;
    const prompt = typeof settings.prompt === 'string' ? settings.prompt : typeof settings.input_prompt === 'string' ? settings.input_prompt : '';
    const project = this.library.projects.find(o.projectId)?.name ?? 'render';
    return {
      id: o.id,
      projectId: o.projectId,
      jobId: o.jobId,
      app: job?.app ?? null,
      engine: job?.engine ?? null,
      file: o.file,
      poster: o.poster,
      settings,
      seed: o.seed,
      trim: job?.inputs.trim ?? null,
      person: job?.inputs.person ?? null,
      sourceAssetId: job?.inputs.videoAssetId ?? job?.inputs.imageAssetId ?? null,
      downloadName: downloadName(project, prompt, o.seed, 'mp4'),
      sizeBytes: full ? sizeOf(full) : null,
      createdAt: o.createdAt,
      exports,
    };
  }
}
