import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/studioProcess';

const eslint = new ESLint({ cwd: repoRoot });

/** The rule messages ESLint gives an import line placed in `filePath`. */
async function importProblems(filePath: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { a } from '${from}';\nexport const b = a;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering between main/, native/ and common/ is enforced by lint', () => {
  it('native/ may not import main/, and main/ (core or electron) may not import native/', async () => {
    expect(await importProblems('native/s2v/x.ts', '../../main/core/media/frameWriter')).toEqual([expect.stringContaining('native/ never imports main/')]);
    expect(await importProblems('main/core/engines/local/x.ts', '../../../../native/ort/packSessions')).toEqual([expect.stringContaining('main/ never imports native/')]);
    expect(await importProblems('main/electron/x.ts', '../../native/worker/inferenceWorker')).toEqual([expect.stringContaining('main/ never imports native/')]);
  });

  it('common/ imports neither side, nor Electron, the database or ONNX Runtime', async () => {
    expect(await importProblems('common/pack/x.ts', '../../main/core/lifecycle')).toEqual([expect.stringContaining('common/ imports neither side')]);
    expect(await importProblems('common/pack/x.ts', '../../native/ort/packSessions')).toEqual([expect.stringContaining('common/ imports neither side')]);
    expect(await importProblems('common/pack/x.ts', 'onnxruntime-node')).toEqual([expect.stringContaining('no Electron, database or ONNX Runtime')]);
  });

  it('both sides may import common/', async () => {
    expect(await importProblems('native/s2v/x.ts', '../../common/s2v/s2vJob')).toEqual([]);
    expect(await importProblems('main/core/engines/local/x.ts', '../../../../common/worker/protocol')).toEqual([]);
  });
});
