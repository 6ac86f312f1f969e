/**
 * The environment every child process we start gets (ffmpeg, ffprobe, the inference worker).
 * An allow-list, not a deny-list: the studio's own environment may hold INFERENCE_API_KEY and
 * whatever else the user exported, and a program the user pointed Settings at must not see it.
 * Only what programs need to run, find libraries and GPUs, and speak the user's language passes.
 */

/** Names passed as they are. */
const ALLOWED_NAMES = new Set([
  // where programs and the user's files are
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TMP',
  'TEMP',
  // language and time
  'LANG',
  'LANGUAGE',
  'TZ',
  // shared libraries (onnxruntime's CUDA provider, a self-built ffmpeg)
  'LD_LIBRARY_PATH',
  'DYLD_LIBRARY_PATH',
  'DYLD_FALLBACK_LIBRARY_PATH',
  // GPUs
  'CUDA_VISIBLE_DEVICES',
  'CUDA_PATH',
  'CUDA_HOME',
  'CUDNN_PATH',
  'HIP_VISIBLE_DEVICES',
  'OMP_NUM_THREADS',
  // display-less hardware decoders and Windows essentials
  'XDG_RUNTIME_DIR',
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'ComSpec',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'ProgramFiles',
  'ProgramFiles(x86)',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
]);

/** Families passed by prefix: locale categories and NVIDIA driver settings. */
const ALLOWED_PREFIXES = ['LC_', 'NVIDIA_'];

/** Even an allowed name is dropped when it looks like it holds a secret. */
const SECRET_LOOKING = /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE|SESSION/i;

export function isPassedToChildren(name: string): boolean {
  if (SECRET_LOOKING.test(name)) return false;
  return ALLOWED_NAMES.has(name) || ALLOWED_PREFIXES.some((p) => name.startsWith(p));
}

/** The allow-listed part of `env` (the studio's own environment by default). */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isPassedToChildren(name)) out[name] = value;
  }
  return out;
}
