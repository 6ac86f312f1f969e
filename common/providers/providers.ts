import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** ONNX Runtime execution providers the studio knows, in the order it prefers them. */
export const providerNames = ['cuda', 'dml', 'coreml', 'cpu'] as const;
export const providerNameSchema = z.enum(providerNames);
export type ProviderName = z.output<typeof providerNameSchema>;

const skippedSchema = z.object({ provider: providerNameSchema, reason: z.string() }).strict();

/** Which provider a worker ended up on, what it skipped and why, and a warning for the user. */
export const providerReportSchema = z
  .object({ active: providerNameSchema, skipped: z.array(skippedSchema), warning: z.string().nullable() })
  .strict();
export type ProviderReport = z.output<typeof providerReportSchema>;

export interface ProviderPlan {
  /** In order of preference; cpu is always last. */
  candidates: ProviderName[];
  skipped: Array<{ provider: ProviderName; reason: string }>;
}

function cudaFilesInstalled(): boolean {
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = join(pkg, 'bin');
    for (const napi of readdirSync(bin)) {
      if (existsSync(join(bin, napi, 'linux', 'x64', 'libonnxruntime_providers_cuda.so'))) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * Which execution providers to try on this machine: CUDA on Linux when its files were installed,
 * DirectML on Windows, CoreML on macOS, else CPU. Each skipped one says why.
 */
export function planProviders(forced: ProviderName | null, platform: NodeJS.Platform = process.platform): ProviderPlan {
  const skipped: ProviderPlan['skipped'] = [];
  const available: ProviderName[] = [];
  if (platform === 'linux') {
    if (cudaFilesInstalled()) available.push('cuda');
    else skipped.push({ provider: 'cuda', reason: "ONNX Runtime's CUDA provider files are not installed (they download at npm install unless ONNXRUNTIME_NODE_INSTALL=skip; reinstall to get them)" });
  } else skipped.push({ provider: 'cuda', reason: 'CUDA is used on Linux only' });
  if (platform === 'win32') available.push('dml');
  else skipped.push({ provider: 'dml', reason: 'DirectML is Windows only' });
  if (platform === 'darwin') available.push('coreml');
  else skipped.push({ provider: 'coreml', reason: 'CoreML is macOS only' });
  if (forced && forced !== 'cpu') {
    if (!available.includes(forced)) return { candidates: ['cpu'], skipped };
    return { candidates: [forced, 'cpu'], skipped: [...skipped, ...available.filter((p) => p !== forced).map((p) => ({ provider: p, reason: `not chosen: ${forced} was forced in Settings` }))] };
  }
  if (forced === 'cpu') return { candidates: ['cpu'], skipped: [...skipped, ...available.map((p) => ({ provider: p, reason: 'not chosen: CPU was forced in Settings' }))] };
  return { candidates: [...available, 'cpu'], skipped };
}
