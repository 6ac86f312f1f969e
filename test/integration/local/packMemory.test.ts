import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/core/contract/errors';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import { checkPackFitsMemory, installedWeightsNeed } from '../../../main/core/engines/local/packMemory';
import { PackStore } from '../../../main/core/engines/local/packStore';
import { makeTempDir } from '../../helpers/generatedMedia';

async function installedFixture() {
  const source = makeTempDir('pack-memory-source');
  await makeFixturePack(source);
  return new PackStore(makeTempDir('pack-memory-library')).importFrom(source);
}

describe("an installed pack's memory once loaded", () => {
  it('is read from the sizes of its installed files (the fixture is float32: each file counts once)', async () => {
    const pack = await installedFixture();
    let graphFiles = 0;
    for (const f of await readdir(pack.dir)) if (f !== 'manifest.json' && f !== 'tokenizer.json') graphFiles += (await stat(join(pack.dir, f))).size;
    const need = await installedWeightsNeed(pack);
    expect(need.allBytes).toBe(graphFiles);
    expect(need.largest.bytes).toBeGreaterThan(0);
    expect(need.largest.bytes).toBeLessThan(need.allBytes);
  });

  it("a render is refused before any work when the largest graph cannot fit this computer's memory, and passes when it can", async () => {
    const pack = await installedFixture();
    const need = await installedWeightsNeed(pack);
    const refusal = await checkPackFitsMemory(pack, false, need.largest.bytes - 1).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(StudioError);
    expect((refusal as StudioError).code).toBe('unavailable');
    expect((refusal as StudioError).message).toMatch(new RegExp(`^The model pack's .+ \\(${need.largest.name}\\) needs about \\d+ GB of memory once loaded`));
    await expect(checkPackFitsMemory(pack, false, need.largest.bytes)).resolves.toBeUndefined();
    await expect(checkPackFitsMemory(pack, true, need.allBytes - 1)).rejects.toThrow(/Turn on Offload models/);
  });
});
