import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');

/** One Animate DiT call's size: latent frames F (the clip's, without the character's), latent height and width. */
export interface DitCallSize {
  frames: number;
  lh: number;
  lw: number;
}

export interface DitCallMeasure {
  /** ru_maxrss of the process that ran the call (it loaded nothing else). */
  peakBytes: number;
  ms: number;
  tokens: number;
  /** Every velocity value is a finite number. */
  finite: boolean;
}

/*
 * The child loads only onnxruntime-node and the pack's dit graph, feeds seeded inputs of the given
 * size and reports its own peak RSS: the measure is the DiT call's, not the test runner's.
 */
const CHILD = `
const ort = require('onnxruntime-node');
const [file, F, lh, lw, textDim, clipDim, dim, headDim, faceTokens] = [process.argv[1], ...process.argv.slice(2).map(Number)];
const fill = (dims) => { const n = dims.reduce((a, b) => a * b, 1); const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.37) * 0.5; return new ort.Tensor('float32', a, dims); };
const tokens = (F + 1) * (lh / 2) * (lw / 2);
(async () => {
  const s = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const feeds = { latents: fill([1, 16, F + 1, lh, lw]), y: fill([1, 20, F + 1, lh, lw]), pose_latents: fill([1, 16, F, lh, lw]),
    timestep: new ort.Tensor('float32', new Float32Array([500]), [1]), context: fill([1, 512, textDim]), clip_features: fill([1, 257, clipDim]),
    face_tokens: fill([1, F + 1, faceTokens, dim]), rope_cos: fill([tokens, headDim / 2]), rope_sin: fill([tokens, headDim / 2]), lora_scale: new ort.Tensor('float32', new Float32Array([1]), [1]) };
  const t = performance.now();
  const out = await s.run(feeds);
  const ms = performance.now() - t;
  const finite = out.velocity.data.every((v) => Number.isFinite(v));
  console.log(JSON.stringify({ peakBytes: process.resourceUsage().maxRSS * 1024, ms, tokens, finite }));
})().catch((e) => { console.error(String(e)); process.exit(1); });
`;

/** The interface sizes the child needs, from an Animate pack's manifest. */
export interface AnimateDitShape {
  textDim: number;
  clipDim: number;
  dim: number;
  heads: number;
  faceTokens: number;
}

/** Runs one call of an Animate pack's dit graph in a fresh Node process and measures it. */
export function runAnimateDitMeasured(ditFile: string, shape: AnimateDitShape, size: DitCallSize): Promise<DitCallMeasure> {
  const args = [size.frames, size.lh, size.lw, shape.textDim, shape.clipDim, shape.dim, shape.dim / shape.heads, shape.faceTokens].map(String);
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['-e', CHILD, ditFile, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    p.on('error', fail);
    p.on('close', (status) => (status === 0 ? done(JSON.parse(out) as DitCallMeasure) : fail(new Error(`the DiT call exited ${status}: ${err}`))));
  });
}
