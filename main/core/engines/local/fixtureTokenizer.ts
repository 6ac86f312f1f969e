/**
 * A small tokenizer.json in the umT5 layout (SentencePiece Unigram through Hugging Face tokenizers:
 * pad 0, </s> 1, unk 2, no BOS, </s> appended), the same as the exporter's --tiny checkpoint
 * writes (tools/wan-export/wan_export/tiny.py): 30 pieces, so fixture text encoders stay tiny.
 */
const SPECIAL: Array<[string, number]> = [
  ['<pad>', 0],
  ['</s>', 1],
  ['<unk>', 2],
];
const PIECES: Array<[string, number]> = [['<pad>', 0], ['</s>', 0], ['<unk>', 0], ['\u2581', -2], ...[...'abcdefghijklmnopqrstuvwxyz'].map((c, i): [string, number] => [c, -3 - i * 0.01])];
export const FIXTURE_VOCAB = PIECES.length;

export function fixtureTokenizerJson(): string {
  const meta = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
  const seq = (id: string) => ({ Sequence: { id, type_id: 0 } });
  const eos = { SpecialToken: { id: '</s>', type_id: 0 } };
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: meta,
    post_processor: { type: 'TemplateProcessing', single: [seq('A'), eos], pair: [seq('A'), eos, seq('B'), eos], special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } } },
    decoder: meta,
    model: { type: 'Unigram', unk_id: 2, vocab: PIECES, byte_fallback: false },
  });
}
