import { join } from 'node:path';
import type { PackManifest2, S2vComponentName } from '../../common/pack/packManifest2';
import type { PackSessions } from '../ort/packSessions';

/** A format 2 S2V pack as the pipeline uses it: its folder, manifest and ONNX sessions. */
export interface S2vPack {
  dir: string;
  manifest: PackManifest2;
  sessions: PackSessions<S2vComponentName>;
}

export const tokenizerPath = (pack: Pick<S2vPack, 'dir' | 'manifest'>): string => join(pack.dir, pack.manifest.tokenizer.file);
