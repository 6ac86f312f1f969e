import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { planProviders, type ProviderName, type ProviderReport } from '../../common/providers/providers';

export class PackError extends Error {
  constructor(
    readonly code: 'pack_invalid' | 'provider_failed',
    message: string,
  ) {
    super(message);
  }
}

/** What a session needs to know of a graph: its file and its declared interface (format 1 and 2 alike). */
export interface GraphSpec {
  file: string;
  inputs: ReadonlyArray<{ name: string; dtype: string; shape: ReadonlyArray<number | string> }>;
  outputs: ReadonlyArray<{ name: string; dtype: string; shape: ReadonlyArray<number | string> }>;
}

const ortProvider: Record<ProviderName, string> = { cuda: 'cuda', dml: 'dml', coreml: 'coreml', cpu: 'cpu' };

/** A graph's declared inputs/outputs against the manifest: names, element types, ranks, fixed sizes. */
export function graphProblems(name: string, session: ort.InferenceSession, spec: GraphSpec): string[] {
  const problems: string[] = [];
  const check = (side: 'input' | 'output', meta: readonly ort.InferenceSession.ValueMetadata[], declared: GraphSpec['inputs']) => {
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

export interface OpenOptions {
  forced: ProviderName | null;
  keepLoaded: boolean;
  /**
   * Open every graph at load and compare its interface with the manifest (format 1). Format 2
   * packs are checked from their protobuf instead (common/pack/checkPack2), so a 30 GB DiT is not
   * loaded just to be looked at.
   */
  checkEverySession: boolean;
}

/** Bytes of a tensor's values: what crosses the ONNX Runtime boundary when it is fed or returned. */
const tensorBytes = (t: ort.Tensor): number => (t.data as ArrayBufferView).byteLength;

/**
 * The pack's ONNX sessions on one execution provider. `keepLoaded` holds every graph for the whole
 * job; otherwise each stage loads what it needs and releases it (the offload_model option), so a
 * smaller GPU can hold one component at a time.
 */
export class PackSessions<N extends string = string> {
  private readonly sessions = new Map<N, ort.InferenceSession>();
  /** Time spent inside ORT runs (for the overhead bench). */
  ortMs = 0;
  /** Bytes fed to and returned by ORT runs, per graph: host traffic (ORT for Node returns outputs on the host). */
  readonly hostBytes = new Map<N, { calls: number; bytesIn: number; bytesOut: number }>();

  private constructor(
    private readonly dir: string,
    private readonly graphs: Partial<Record<N, GraphSpec>>,
    readonly provider: ProviderReport,
    /** Every graph stays loaded between jobs (else each is released when its stage is done). */
    readonly keepLoaded: boolean,
  ) {}

  static async open<N extends string>(dir: string, graphs: Partial<Record<N, GraphSpec>>, options: OpenOptions): Promise<PackSessions<N>> {
    const names = (Object.keys(graphs) as N[]).filter((n) => !!graphs[n]);
    const spec = (n: N) => graphs[n] as GraphSpec;
    const plan = planProviders(options.forced);
    let warning: string | null = null;
    let active: ProviderName = 'cpu';
    // The first graph finds the provider; its session is kept, not opened a second time below.
    const probe = names[0] as N;
    let probeSession: ort.InferenceSession | null = null;
    for (const p of plan.candidates) {
      try {
        probeSession = await createSession(dir, probe, spec(probe), p);
        active = p;
        break;
      } catch (e) {
        // The CPU always exists: failing there means the graph itself cannot be loaded.
        if (p === 'cpu') throw unloadable(probe, spec(probe), e);
        warning = `${p.toUpperCase()} failed to start (${firstLine(e)}); rendering on the CPU instead, which is much slower.`;
        plan.skipped.push({ provider: p, reason: `failed to start: ${firstLine(e)}` });
      }
    }
    if (options.forced && options.forced !== active && !warning) {
      const why = plan.skipped.find((k) => k.provider === options.forced)?.reason ?? 'it is not available on this machine';
      warning = `${options.forced.toUpperCase()} was chosen in Settings but cannot be used (${why}); rendering on the CPU instead, which is much slower.`;
    }
    const sessions = new PackSessions<N>(dir, graphs, { active, skipped: plan.skipped, warning }, options.keepLoaded);
    if (probeSession) sessions.sessions.set(probe, probeSession);
    if (!options.checkEverySession && !options.keepLoaded) await sessions.release(probe);
    if (!options.checkEverySession && !options.keepLoaded) return sessions;
    for (const name of names) {
      let s: ort.InferenceSession;
      try {
        s = await sessions.load(name);
      } catch (e) {
        await sessions.releaseAll();
        throw e instanceof PackError ? e : unloadable(name, spec(name), e);
      }
      const problems = options.checkEverySession ? graphProblems(name, s, spec(name)) : [];
      if (problems.length) {
        await sessions.releaseAll();
        throw new PackError('pack_invalid', `The model pack does not match its manifest: ${problems.join('; ')}.`);
      }
      if (!options.keepLoaded) await sessions.release(name);
    }
    return sessions;
  }

  has(name: N): boolean {
    return !!this.graphs[name];
  }

  private async load(name: N): Promise<ort.InferenceSession> {
    const existing = this.sessions.get(name);
    if (existing) return existing;
    const spec = this.graphs[name];
    if (!spec) throw new PackError('pack_invalid', `The model pack has no ${name}.`);
    let s: ort.InferenceSession;
    try {
      s = await createSession(this.dir, name, spec, this.provider.active);
    } catch (e) {
      throw unloadable(name, spec, e);
    }
    this.sessions.set(name, s);
    return s;
  }

  /** Runs one graph, counting the time inside ORT and the bytes crossing its boundary. */
  async run(name: N, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
    const s = await this.load(name);
    const t = performance.now();
    const out = await s.run(feeds);
    this.ortMs += performance.now() - t;
    const traffic = this.hostBytes.get(name) ?? { calls: 0, bytesIn: 0, bytesOut: 0 };
    traffic.calls++;
    for (const f of Object.values(feeds)) traffic.bytesIn += tensorBytes(f);
    for (const o of Object.values(out)) traffic.bytesOut += tensorBytes(o);
    this.hostBytes.set(name, traffic);
    return out;
  }

  /** In offload mode, a stage releases its graph when done. */
  async done(name: N): Promise<void> {
    if (!this.keepLoaded) await this.release(name);
  }

  async release(name: N): Promise<void> {
    const s = this.sessions.get(name);
    this.sessions.delete(name);
    await s?.release();
  }

  async releaseAll(): Promise<void> {
    for (const name of [...this.sessions.keys()]) await this.release(name);
  }
}

/**
 * The VAE graphs loop over a clip's chunks, each with activations of a few frames at full size
 * (plus a latent-size attention): with the CPU arena, the freed blocks of one chunk do not fit the
 * next one's requests and the arena keeps growing (measured at 1104x832: 7.0 GB for 13 frames with
 * it, 4.2 GB without; docs/animate-local.md, "Memory"). Without it each chunk's buffers go back to
 * the system. The other graphs run the same shapes again and again, which the arena serves well.
 */
const NO_ARENA_GRAPHS: ReadonlySet<string> = new Set(['vae_encoder', 'vae_decoder']);

const createSession = (dir: string, name: string, spec: GraphSpec, provider: ProviderName) => {
  const noArena = NO_ARENA_GRAPHS.has(name);
  return ort.InferenceSession.create(join(dir, spec.file), {
    executionProviders: [ortProvider[provider]],
    graphOptimizationLevel: 'all',
    ...(noArena ? { enableCpuMemArena: false, enableMemPattern: false } : {}),
  });
};

const unloadable = (name: string, spec: GraphSpec, e: unknown) =>
  new PackError('pack_invalid', `The model pack's ${name} (${spec.file}) cannot be loaded by ONNX Runtime: ${firstLine(e)}. The pack may need a newer studio, or be damaged.`);

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 300) ?? '';
