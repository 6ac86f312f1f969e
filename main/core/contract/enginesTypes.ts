import type { LocalProvider } from './types';

export interface PackDto {
  id: string;
  name: string;
  version: string;
  pipeline: 's2v' | 'animate';
  sizeBytes: number;
  /** Which components it has, e.g. dit_first_block + dit_rest means the first block cache works. */
  components: string[];
  /** Memory its largest graph takes once loaded (weights run as float32), the least a render needs. */
  loadedBytes: number;
  /** Why this computer cannot load it, or null. */
  memoryProblem: string | null;
}

export interface EnginesStatus {
  packs: PackDto[];
  providers: {
    forced: LocalProvider | null;
    /** In the order the engine tries them; cpu always last. */
    candidates: LocalProvider[];
    skipped: Array<{ provider: LocalProvider; reason: string }>;
  };
}

/** The official preprocessing models (YOLOv10m + ViTPose-H) for Animate previews, when installed. */
export interface PreprocessStatus {
  installed: boolean;
  /** Where they are (<library>/preprocess), when installed. */
  dir: string | null;
  files: Array<{ path: string; label: string; sizeBytes: number }>;
  /** The models previews come from now: the official ones when installed, else the bundled ones. */
  previews: { id: 'bundled' | 'official'; label: string };
}
