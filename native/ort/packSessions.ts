import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ComponentName, GraphComponent, PackManifest, TensorSpec } from '../../common/pack/packManifest';
import { planProviders, type ProviderName, type ProviderReport } from '../../common/providers/providers';

export class PackError extends Error {
  constructor(
    readonly code: 'pack_invalid' | 'provider_failed',
    message: string,
  ) {
    super(message);
  }
}

const ortProvider: Record<ProviderName, string> = { cuda: 'cuda', dml: 'dml', coreml: 'coreml', cpu: 'cpu' };

/** A graph's declared inputs/outputs against the manifest: names, element types, ranks, fixed sizes. */
export function graphProblems(name: string, session: ort.InferenceSession, spec: GraphComponent): string[] {
  const problems: string[] = [];
  const check = (side: 'input' | 'output', meta: readonly ort.InferenceSession.ValueMetadata[], declared: TensorSpec[]) => {
    const names = meta.map((m) => m.name);
    for (const d of declared) {
      const m = meta.find((x) => x.name === d.name);
      if (!m) {
        problems.push(`${name}: the graph has no ${side} "${d.name}" (it has ${names.join(', ') || 'none'})`);
        continue;
      }
      if (!m.isTensor) continue;
      if (m.type !== d.dtype) problems.push(`${name}: ${side} "${d.name}" is ${m.type} in the graph but ${d.dtype} in the manifest`);
      if (m.shape.length !== d.shape.length) problems.push(`${name}: ${side} "${d.name}" has rank ${m.shape.length} in the graph but ${d.shape.length} in the manifest`);
      else
        d.shape.forEach((dim, i) => {
          const g = m.shape[i];
          if (typeof dim === 'number' && typeof g === 'number' && g !== dim) problems.push(`${name}: ${side} "${d.name}" dimension ${i} is ${g} in the graph but ${dim} in the manifest`);
        });
    }
    for (const n of names) if (!declared.some((d) => d.name === n)) problems.push(`${name}: the graph's ${side} "${n}" is not in the manifest`);
  };
  check('input', session.inputMetadata, spec.inputs);
  check('output', session.outputMetadata, spec.outputs);
  return problems;
}

/**
 * The pack's ONNX sessions on one execution provider. `keepLoaded` holds every graph for the whole
 * job; otherwise each stage loads what it needs and releases it (the offload_model option), so a
 * smaller GPU can hold one component at a time.
 */
export class PackSessions {
  private readonly sessions = new Map<ComponentName, ort.InferenceSession>();
  private constructor(
    private readonly dir: string,
    readonly manifest: PackManifest,
    readonly provider: ProviderReport,
    private readonly keepLoaded: boolean,
  ) {}

  static async open(dir: string, manifest: PackManifest, options: { forced: ProviderName | null; keepLoaded: boolean }): Promise<PackSessions> {
    const plan = planProviders(options.forced);
    let warning: string | null = null;
    let active: ProviderName = 'cpu';
    // The first graph finds the provider; its session is kept, not opened a second time below.
    const probe = componentsOf(manifest)[0] as ComponentName;
    let probeSession: ort.InferenceSession | null = null;
    for (const p of plan.candidates) {
      try {
        probeSession = await createSession(dir, manifest.components[probe] as GraphComponent, p);
        active = p;
        break;
      } catch (e) {
        // The CPU always exists: failing there means the graph itself cannot be loaded.
        if (p === 'cpu') throw unloadable(probe, manifest, e);
        warning = `${p.toUpperCase()} failed to start (${firstLine(e)}); rendering on the CPU instead, which is much slower.`;
        plan.skipped.push({ provider: p, reason: `failed to start: ${firstLine(e)}` });
      }
    }
    if (options.forced && options.forced !== active && !warning) {
      const why = plan.skipped.find((k) => k.provider === options.forced)?.reason ?? 'it is not available on this machine';
      warning = `${options.forced.toUpperCase()} was chosen in Settings but cannot be used (${why}); rendering on the CPU instead, which is much slower.`;
    }
    const sessions = new PackSessions(dir, manifest, { active, skipped: plan.skipped, warning }, options.keepLoaded);
    if (probeSession) sessions.sessions.set(probe, probeSession);
    // Every graph is opened once now, checked against the manifest, and kept or released.
    for (const name of componentsOf(manifest)) {
      let s: ort.InferenceSession;
      try {
        s = await sessions.load(name);
      } catch (e) {
        await sessions.releaseAll();
        throw unloadable(name, manifest, e);
      }
      const problems = graphProblems(name, s, manifest.components[name] as GraphComponent);
      if (problems.length) {
        await sessions.releaseAll();
        throw new PackError('pack_invalid', `The model pack does not match its manifest: ${problems.join('; ')}.`);
      }
      if (!options.keepLoaded) await sessions.release(name);
    }
    return sessions;
  }

  has(name: ComponentName): boolean {
    return !!this.manifest.components[name];
  }

  private async load(name: ComponentName): Promise<ort.InferenceSession> {
    const existing = this.sessions.get(name);
    if (existing) return existing;
    const spec = this.manifest.components[name] as GraphComponent | undefined;
    if (!spec) throw new PackError('pack_invalid', `The model pack has no ${name}.`);
    const s = await createSession(this.dir, spec, this.provider.active);
    this.sessions.set(name, s);
    return s;
  }

  /** Runs one graph; the time spent inside ORT is added to `ortMs` (for the overhead bench). */
  ortMs = 0;
  async run(name: ComponentName, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
    const s = await this.load(name);
    const t = performance.now();
    const out = await s.run(feeds);
    this.ortMs += performance.now() - t;
    return out;
  }

  /** In offload mode, a stage releases its graph when done. */
  async done(name: ComponentName): Promise<void> {
    if (!this.keepLoaded) await this.release(name);
  }

  async release(name: ComponentName): Promise<void> {
    const s = this.sessions.get(name);
    this.sessions.delete(name);
    await s?.release();
  }

  async releaseAll(): Promise<void> {
    for (const name of [...this.sessions.keys()]) await this.release(name);
  }
}

const createSession = (dir: string, spec: GraphComponent, provider: ProviderName) =>
  ort.InferenceSession.create(join(dir, spec.file), { executionProviders: [ortProvider[provider]], graphOptimizationLevel: 'all' });

const unloadable = (name: ComponentName, manifest: PackManifest, e: unknown) =>
  new PackError('pack_invalid', `The model pack's ${name} (${(manifest.components[name] as GraphComponent).file}) cannot be loaded by ONNX Runtime: ${firstLine(e)}. The pack may need a newer studio, or be damaged.`);

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 300) ?? '';

export function componentsOf(m: PackManifest): ComponentName[] {
  return (Object.keys(m.components) as Array<keyof PackManifest['components']>).filter((k): k is ComponentName => k !== 'tokenizer' && !!m.components[k]);
}
