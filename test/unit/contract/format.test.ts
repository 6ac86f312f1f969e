import { describe, expect, it } from 'vitest';
import { cleanDisplayName, terminalSafe } from '../../../main/core/contract/format';

describe('names from outside never drive a terminal', () => {
  it.each([
    ['\u001b[31mred\u001b[0m.wav', 'red.wav'],
    ['a\u0007b\u0000c.png', 'abc.png'],
    ['\u001b]0;title\u0007take 1.mp4', 'take 1.mp4'],
    ['line\r\nbreak.png', 'line break.png'],
    ['evil\u202egnp.exe', 'evilgnp.exe'],
    ['\u009b31mC1.wav', 'C1.wav'],
    ['\u001b[2J', 'untitled'],
    ['.png', 'untitled.png'],
    ['Ünï cødé "quoted".png', 'Ünï cødé "quoted".png'],
  ])('cleanDisplayName(%j) = %j', (raw, clean) => {
    expect(cleanDisplayName(raw)).toBe(clean);
  });

  it('terminalSafe keeps layout and replaces the rest with ?', () => {
    expect(terminalSafe('name:\t\u001b[31mred\u001b[0m\nnext\u0007')).toBe('name:\t?red?\nnext?');
    // eslint-disable-next-line no-control-regex
    expect(terminalSafe('\u001b]8;;http://x\u0007link\u001b]8;;\u0007')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
