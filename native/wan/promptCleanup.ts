/**
 * The official prompt cleanup before umT5 (research/wan-export.md, tokenizer row):
 * ftfy.fix_text, html.unescape twice, strip, then every whitespace run collapsed to one space.
 *
 * ftfy is Python; the parts of fix_text that change ordinary typed or pasted prompts are done
 * here: curly quotes straightened, Latin ligatures and full-width forms unfolded, NFC. Its
 * mojibake repair (text decoded with the wrong code page) is not reproduced: such text reaches
 * the tokenizer as it is.
 */
export function cleanPrompt(text: string): string {
  const fixed = fixText(text);
  return unescapeHtml(unescapeHtml(fixed)).trim().replace(/\s+/gu, ' ').trim();
}

const QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"' };
const LIGATURES: Record<string, string> = { '\u0132': 'IJ', '\u0133': 'ij', '\u0149': "\u02bcn", '\u01c4': 'D\u017d', '\u01c5': 'D\u017e', '\u01c6': 'd\u017e', '\u01c7': 'LJ', '\u01c8': 'Lj', '\u01c9': 'lj', '\u01ca': 'NJ', '\u01cb': 'Nj', '\u01cc': 'nj', '\u01f1': 'DZ', '\u01f2': 'Dz', '\u01f3': 'dz', '\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi', '\ufb04': 'ffl', '\ufb05': '\u017ft', '\ufb06': 'st' };

function fixText(text: string): string {
  return text
    .replace(/[\u2018-\u201f]/gu, (c) => QUOTES[c] ?? c)
    .replace(/[\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ufb00-\ufb06]/gu, (c) => LIGATURES[c] ?? c)
    .replace(/[\u3000\uff01-\uff5e]/gu, (c) => c.normalize('NFKC'))
    .normalize('NFC');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** html.unescape for numeric references and the named entities a prompt realistically carries. */
function unescapeHtml(text: string): string {
  return text.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);/gu, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}
