import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/generatedMedia';
import { writeInstallableAnimatePack } from '../../helpers/animateInstallablePack';
import { realMedia, realPortrait } from '../../helpers/realMedia';
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

  it('--pack installs the Animate pack and the render runs on this computer: a head-and-shoulders character is refused by the preparation, by name', async () => {
    const home = makeTempDir('cli-animate-pack');
    const pack = makeTempDir('cli-animate-pack-dir');
    await writeInstallableAnimatePack(pack);
    // 512x512 as the area: the tiny pack's attention fits this computer, so the preparation gets to the character.
    const size = ['--resolution_width', '512', '--resolution_height', '512'];
    const r = await runCliProcess(['render', 'animate', '--pack', pack, '--video', realMedia('vtest.avi'), '--image', realPortrait(), '--in', '30', '--out', '32', ...size, '--json', '--home', home]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Model pack: tiny-animate test');
    const result = JSON.parse(lines.at(-1)!) as { type: string; status: string; error: string };
    expect(result).toMatchObject({ type: 'result', status: 'failed' });
    expect(result.error).toBe('Character: Only a head and shoulders are visible in the character image: Animate follows a body, so choose a shot that shows at least the hips.');
    const jobs = lines.filter((l) => l.startsWith('{"type":"job"')).map((l) => (JSON.parse(l) as { job: { engine: string | null } }).job);
    expect(jobs.some((j) => j.engine === 'local')).toBe(true);
  });
});
