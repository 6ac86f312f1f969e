import { animateComponentNames, type AnimateManifest2 } from './animateManifest2';
import { s2vComponentNames, type PackManifest2 } from './packManifest2';

/** One file a pack consists of, with the hash the manifest gives and what a user calls it. */
export interface PackFile {
  file: string;
  sha256: string;
  label: string;
}

/** A format 2 manifest of either pipeline. */
export type AnyPackManifest2 = PackManifest2 | AnimateManifest2;

/** Every file of a format 2 pack (S2V or Animate) besides manifest.json: the tokenizer, each graph and each of its weight files. */
export function pack2Files(m: AnyPackManifest2): PackFile[] {
  const files: PackFile[] = [{ file: m.tokenizer.file, sha256: m.tokenizer.sha256, label: 'tokenizer' }];
  const graphs = m.pipeline === 'animate' ? animateComponentNames.map((n) => [n, m.components[n]] as const) : s2vComponentNames.map((n) => [n, m.components[n]] as const);
  for (const [name, c] of graphs) {
    files.push({ file: c.file, sha256: c.sha256, label: `${name} graph` });
    c.externalData.forEach((e, i) => files.push({ file: e.file, sha256: e.sha256, label: `${name} weights (${i + 1} of ${c.externalData.length})` }));
  }
  return files;
}
