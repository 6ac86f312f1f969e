import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { cleanPrompt } from './promptCleanup';

/** What format 2 says about the tokenizer (docs/model-pack.md): length, pad and end ids. */
export interface Umt5TokenizerSpec {
  length: number;
  padId: number;
  eosId: number;
}

/** umT5 ids as the official T5 tokenizer gives them: cleaned text, no BOS, `</s>` last, padded to `length`. */
export type Umt5Tokenize = (prompt: string) => BigInt64Array;

/** Reads the pack's tokenizer.json (`label` names it in errors) and checks its pad and end ids match the manifest. */
export async function loadUmt5Tokenizer(file: string, spec: Umt5TokenizerSpec, label: string): Promise<Umt5Tokenize> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${label}: the tokenizer file ${file} cannot be read as JSON (${(e as Error).message}). Re-export or re-import the pack.`, { cause: e });
  }
  return umt5Tokenizer(json, spec, label);
}

export function umt5Tokenizer(json: unknown, spec: Umt5TokenizerSpec, label: string): Umt5Tokenize {
  const tokenizer = new Tokenizer(json as object, {});
  const idOf = (token: string) => tokenizer.encode(token, { add_special_tokens: false }).ids;
  for (const [token, want] of [['<pad>', spec.padId], ['</s>', spec.eosId]] as const) {
    const ids = idOf(token);
    if (ids.length !== 1 || ids[0] !== want) throw new Error(`${label}: the tokenizer gives ${token} the ids [${ids.join(', ')}] but the manifest says ${want}. The pack is inconsistent; re-export it.`);
  }
  return (prompt) => {
    const ids = tokenizer.encode(cleanPrompt(prompt), { add_special_tokens: false }).ids;
    const out = new BigInt64Array(spec.length).fill(BigInt(spec.padId));
    // HF truncation keeps room for the end token, as the official tokenizer(..., truncation=True) does.
    const n = Math.min(ids.length, spec.length - 1);
    for (let i = 0; i < n; i++) out[i] = BigInt(ids[i]!);
    out[n] = BigInt(spec.eosId);
    return out;
  };
}
