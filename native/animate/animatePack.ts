import { join } from 'node:path';
import type { AnimateComponentName, AnimateManifest2 } from '../../common/pack/animateManifest2';
import type { PackSessions } from '../ort/packSessions';

/** A format 2 Animate pack as the pipeline uses it: its folder, manifest and ONNX sessions. */
export interface AnimatePack {
  dir: string;
  manifest: AnimateManifest2;
  sessions: PackSessions<AnimateComponentName>;
}

export const animateTokenizerPath = (pack: Pick<AnimatePack, 'dir' | 'manifest'>): string => join(pack.dir, pack.manifest.tokenizer.file);
