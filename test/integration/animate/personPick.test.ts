import { afterEach, describe, expect, it } from 'vitest';
import type { JobDto, OutputDto, RenderCheckDto } from '../../../main/core/contract/index';
import type { ProjectState } from '../../../main/core/contract/types';
import type { StudioCore } from '../../../main/core/studioCore';
import { animateProject, openCloudCore, startFake } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const pick = { x: 0.84, y: 0.47, atSec: 0.5 };

async function dispatch<T>(core: StudioCore, channel: string, input: unknown): Promise<T> {
  const envelope = await core.dispatch(channel as never, input as never, { transport: 'ipc' });
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value as T;
}

describe('the person picked in the driving video', () => {
  it('is saved in the project, survives a restart, reaches the render job, and goes back to the largest person with another video', async () => {
    const fake = await startFake();
    cleanups.push(() => fake.stop());
    const home = makeTempDir('person-pick');
    let core = await openCloudCore(fake, { home });
    const projectId = await animateProject(core);

    await dispatch(core, 'library.updateProjectState', { id: projectId, patch: { animate: { person: pick } } });
    await core.dispose();
    core = await openCloudCore(fake, { home });
    cleanups.push(() => core.dispose());
    const state = (await dispatch<{ state: ProjectState }>(core, 'library.getProject', { id: projectId })).state;
    expect(state.animate.person).toEqual(pick);

    // The Render summary says who is used, and that the cloud takes no pick.
    const check = await dispatch<RenderCheckDto>(core, 'render.check', { projectId, engine: 'cloud' });
    expect(check.runsOn).toBe('cloud');
    expect(check.summary.person).toEqual(pick);

    const job = await dispatch<JobDto>(core, 'render.submit', { projectId, engine: 'cloud' });
    expect(core.library.jobs.get(job.id).inputs.person).toEqual(pick);
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('completed');
    // The cloud app has no person input: nothing about the pick is sent.
    const sent = fake.tasks.get(done.remoteTaskId!)!.dto.input;
    expect(Object.keys(sent).some((k) => /person/i.test(k))).toBe(false);
    // Its output remembers the pick, for "Reuse settings".
    const outputs = await dispatch<OutputDto[]>(core, 'render.listOutputs', { projectId });
    expect(outputs.find((o) => o.jobId === job.id)?.person).toEqual(pick);

    // Another driving video is another set of people: back to Wan's rule.
    const video = state.animate.videoAssetId!;
    core.library.updateProjectState(projectId, { animate: { videoAssetId: null } });
    expect(core.library.projects.readState(projectId).animate.person).toBeNull();
    core.library.updateProjectState(projectId, { animate: { videoAssetId: video, person: pick } });
    await core.library.removeAsset(video);
    expect(core.library.projects.readState(projectId).animate.person).toBeNull();
  });

  it('refuses a pick outside the frame, naming the field, and keeps the saved one', async () => {
    const fake = await startFake();
    cleanups.push(() => fake.stop());
    const core = await openCloudCore(fake, { home: makeTempDir('person-pick-bad') });
    cleanups.push(() => core.dispose());
    const projectId = await animateProject(core);
    await dispatch(core, 'library.updateProjectState', { id: projectId, patch: { animate: { person: pick } } });
    const bad = await core.dispatch('library.updateProjectState', { id: projectId, patch: { animate: { person: { x: 2, y: 0.5, atSec: 0 } } } }, { transport: 'ipc' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/person.*x: must be between 0 and 1/);
    expect(core.library.projects.readState(projectId).animate.person).toEqual(pick);
  });
});
