import { readdir, rm, stat, truncate } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/core/contract/errors';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import { LocalEngine } from '../../../main/core/engines/local/localEngine';
import { checkPackFitsMemory, installedWeightsNeed, listedPackMemory } from '../../../main/core/engines/local/packMemory';
import { PackStore } from '../../../main/core/engines/local/packStore';
import { makeTempDir } from '../../helpers/generatedMedia';

async function installedFixture(store = new PackStore(makeTempDir('pack-memory-library'))) {
  const source = makeTempDir('pack-memory-source');
  await makeFixturePack(source);
  return store.importFrom(source);
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
    let refusal: unknown = null;
    try {
      checkPackFitsMemory(need, false, need.largest.bytes - 1);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(StudioError);
    expect((refusal as StudioError).code).toBe('unavailable');
    expect((refusal as StudioError).message).toMatch(new RegExp(`^The model pack's .+ \\(${need.largest.name}\\) needs about \\d+ GB of memory once loaded`));
    expect(checkPackFitsMemory(need, false, need.largest.bytes)).toBeUndefined();
    expect(() => checkPackFitsMemory(need, true, need.allBytes - 1)).toThrow(/Turn on Offload models/);
  });

  it('what Settings shows for a listed pack: its largest graph, no problem when it fits, and a file gone since the listing named', async () => {
    const pack = await installedFixture();
    const need = await installedWeightsNeed(pack);
    expect(await listedPackMemory(pack)).toEqual({ loadedBytes: need.largest.bytes, problem: null });
    expect((await listedPackMemory(pack, need.largest.bytes - 1)).problem).toMatch(/^The model pack's .+ needs about \d+ GB of memory once loaded/);
    const weights = (await readdir(pack.dir)).find((f) => f.endsWith('.weights'))!;
    await rm(join(pack.dir, weights));
    expect(await listedPackMemory(pack)).toEqual({ loadedBytes: 0, problem: `The model pack "${pack.manifest.name}" is missing files: import it again in Settings → Local engine.` });
  });
});

describe('the local engine offers a pack only when this computer can load it', () => {
  it('a pack that fits is available; one whose largest graph is larger than the memory is not, with the reason the editor shows; so is one with a file gone', async () => {
    const packs = new PackStore(makeTempDir('pack-memory-engine'));
    const pack = await installedFixture(packs);
    const engine = new LocalEngine({ packs, tools: () => ({}), provider: () => null });
    expect(await engine.availability('s2v')).toEqual({ available: true, reason: null });

    // A sparse file: the size of a graph twice this computer's memory, without the disk space.
    if (pack.manifest.pipeline !== 's2v') throw new Error('the fixture is an S2V pack');
    const dit = pack.manifest.components.dit_rest.externalData[0]!.file;
    await truncate(join(pack.dir, dit), 2 * totalmem());
    const tooLarge = await engine.availability('s2v');
    expect(tooLarge.available).toBe(false);
    expect(tooLarge.reason).toMatch(/^The model pack's video model \(dit_rest\) needs about \d+ GB of memory once loaded \(its weights run as float32\); this computer has \d+ GB\. Render in the cloud, or on a computer with more memory\.$/);

    // The pack store no longer lists a pack with a file gone.
    await rm(join(pack.dir, dit));
    expect(await engine.availability('s2v')).toEqual({ available: false, reason: 'No S2V model pack is installed: import one in Settings → Local engine.' });
  });
});
