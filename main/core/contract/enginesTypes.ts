import type { LocalProvider } from './types';

export interface PackDto {
  id: string;
  name: string;
  version: string;
  pipeline: 's2v' | 'animate';
  sizeBytes: number;
  /** Which components it has, e.g. dit_first_block + dit_rest means the first block cache works. */
  components: string[];
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
