import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/generatedMedia';
import { realMedia } from '../../helpers/realMedia';
import { runCliProcess } from '../../helpers/studioProcess';

describe('wan-studio render animate', () => {
  it('with no Animate pack installed: refused before anything is rendered, saying what to install; a bad --person is a usage error', async () => {
    const home = makeTempDir('cli-animate');
    const badPerson = await runCliProcess(['render', 'animate', '--video', realMedia('vtest.avi'), '--image', realMedia('messi5.jpg'), '--person', '1.5,0.2', '--home', home]);
    expect(badPerson.code).toBe(2);
    expect(badPerson.stderr).toContain('--person 1.5,0.2: must be X,Y as fractions of the picture from its top left, like 0.3,0.5.');
    const r = await runCliProcess(['render', 'animate', '--video', realMedia('vtest.avi'), '--image', realMedia('messi5.jpg'), '--mode', 'replacement', '--person', '0.3,0.5', '--in', '10', '--out', '12', '--home', home]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No Animate model pack is installed: import one in Settings → Local engine.');
    const help = await runCliProcess(['render', '--help']);
    expect(help.stdout).toContain('wan-studio render animate --pack DIR --video DRIVING --image CHARACTER [--mode animation|replacement]');
  });
});
