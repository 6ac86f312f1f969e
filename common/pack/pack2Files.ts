import { s2vComponentNames, type PackManifest2 } from './packManifest2';

/** One file a pack consists of, with the hash the manifest gives and what a user calls it. */
export interface PackFile {
  file: string;
  sha256: string;
  label: string;
}

/** Every file of a format 2 pack besides manifest.json: the tokenizer, each graph and each of its weight files. */
export function pack2Files(m: PackManifest2): PackFile[] {
  const files: PackFile[] = [{ file: m.tokenizer.file, sha256: m.tokenizer.sha256, label: 'tokenizer' }];
  for (const name of s2vComponentNames) {
    const c = m.components[name];
    files.push({ file: c.file, sha256: c.sha256, label: `${name} graph` });
    c.externalData.forEach((e, i) => files.push({ file: e.file, sha256: e.sha256, label: `${name} weights (${i + 1} of ${c.externalData.length})` }));
  }
  return files;
}
