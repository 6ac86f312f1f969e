import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanPrompt } from '../../../native/wan/promptCleanup';
import { loadUmt5Tokenizer, umt5Tokenizer } from '../../../native/wan/umt5Tokenizer';

/** A small tokenizer.json in umT5's layout (as tools/wan-export's tiny checkpoint writes it): Unigram, Metaspace, </s> appended. */
function tinyUmt5Json(): object {
  const meta = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
  const special = [['<pad>', 0], ['</s>', 1], ['<unk>', 2]] as const;
  const letters = [...'abcdefghijklmnopqrstuvwxyz'].map((c, i) => [c, -3 - i * 0.01]);
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: special.map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null, pre_tokenizer: meta,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: meta,
    // ids: 0 <pad>, 1 </s>, 2 <unk>, 3 '▁', 4 'a', 5 'b', ... 29 'z'
    model: { type: 'Unigram', unk_id: 2, vocab: [['<pad>', 0], ['</s>', 0], ['<unk>', 0], ['\u2581', -2], ...letters], byte_fallback: false },
  };
}

const spec = { length: 8, padId: 0, eosId: 1 };
const ids = (a: BigInt64Array) => [...a].map(Number);

describe('umT5 tokenizer from a pack tokenizer.json (issue 11, format 2)', () => {
  it('gives pieces, then </s> = 1, no BOS, padded with 0 to exactly the manifest length', () => {
    const tokenize = umt5Tokenizer(tinyUmt5Json(), spec, 'Tiny pack');
    expect(ids(tokenize('ab cd'))).toEqual([3, 4, 5, 3, 6, 7, 1, 0]);
    expect(ids(tokenize(''))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(tokenize('ab').length).toBe(8);
  });

  it('cleans the prompt first: collapsed whitespace, html entities unescaped twice, unknown characters to <unk>', () => {
    const tokenize = umt5Tokenizer(tinyUmt5Json(), spec, 'Tiny pack');
    expect(ids(tokenize('  a \n\t b  '))).toEqual(ids(tokenize('a b')));
    expect(ids(tokenize('a&amp;amp;b'))).toEqual([3, 4, 2, 5, 1, 0, 0, 0]);
  });

  it('truncates long prompts keeping </s> as the last id, as the official truncation=True does', () => {
    const tokenize = umt5Tokenizer(tinyUmt5Json(), spec, 'Tiny pack');
    expect(ids(tokenize('abcdefghij'))).toEqual([3, 4, 5, 6, 7, 8, 9, 1]);
  });

  it('refuses a tokenizer whose pad or end id disagrees with the manifest, naming the pack', () => {
    expect(() => umt5Tokenizer(tinyUmt5Json(), { ...spec, eosId: 2 }, 'Tiny pack')).toThrow(/Tiny pack: the tokenizer gives <\/s> the ids \[1\] but the manifest says 2/);
  });

  it('reads tokenizer.json from disk and names an unreadable file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umt5-'));
    try {
      await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tinyUmt5Json()));
      await writeFile(join(dir, 'broken.json'), '{');
      expect(ids((await loadUmt5Tokenizer(join(dir, 'tokenizer.json'), spec, 'Tiny pack'))('z'))).toEqual([3, 29, 1, 0, 0, 0, 0, 0]);
      await expect(loadUmt5Tokenizer(join(dir, 'broken.json'), spec, 'Tiny pack')).rejects.toThrow(/Tiny pack: the tokenizer file .*broken.json cannot be read as JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('official prompt cleanup (ftfy subset + html.unescape x2 + whitespace_clean)', () => {
  it.each([
    ['  hello   world \n', 'hello world'],
    ['a &amp;lt; b', 'a < b'],
    ['&#65;&#x42;', 'AB'],
    ['\u201cquoted\u201d it\u2019s', '"quoted" it\'s'],
    ['\ufb01ne \uff21\uff22', 'fine AB'],
    ['e\u0301', '\u00e9'],
    ['&unknown; stays', '&unknown; stays'],
  ])('%j -> %j', (input, out) => expect(cleanPrompt(input)).toBe(out));
});
