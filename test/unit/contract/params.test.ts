import { describe, expect, it } from 'vitest';
import { animateParamsSchema, clipLenHint, localOnlyFields, paramIssues, paramsFields, paramsSchemas, s2vParamsSchema } from '../../../main/core/contract/params/index';

const issues = (schema: typeof s2vParamsSchema | typeof animateParamsSchema, input: unknown): string[] => {
  const r = schema.safeParse(input);
  return r.success ? [] : paramIssues(r.error.issues).map((i) => i.message);
};

const s2v = (over: Record<string, unknown>) => issues(s2vParamsSchema, { prompt: 'a singer on a stage', ...over });
const animate = (over: Record<string, unknown>) => issues(animateParamsSchema, over);

describe('S2V parameters (infsh/wan-2-2-s2v)', () => {
  it('fills the app defaults', () => {
    expect(s2vParamsSchema.parse({ prompt: 'x' })).toEqual({
      prompt: 'x',
      resolution: '720p',
      num_frames_per_chunk: 81,
      fps: 16,
      seed: null,
      enable_first_block_cache: true,
      first_block_cache_threshold: 0.05,
    });
  });
  it('a missing prompt asks for one', () => {
    expect(issues(s2vParamsSchema, {})).toEqual(['prompt: describe the video (for example "a woman singing on a stage, warm light")']);
  });
  it.each([
    [{ prompt: '  ' }, 'prompt: describe the video (for example "a woman singing on a stage, warm light")'],
    [{ prompt: 'x'.repeat(2001) }, 'prompt: must be at most 2000 characters'],
    [{ resolution: '1080p' }, 'resolution: must be 480p or 720p'],
    [{ num_frames_per_chunk: 15 }, 'num_frames_per_chunk: must be at least 16'],
    [{ num_frames_per_chunk: 162 }, 'num_frames_per_chunk: must be at most 161'],
    [{ num_frames_per_chunk: 80.5 }, 'num_frames_per_chunk: must be a whole number'],
    [{ fps: 7 }, 'fps: must be at least 8'],
    [{ fps: 61 }, 'fps: must be at most 60'],
    [{ seed: -1 }, 'seed: must be 0 or more (leave it empty for a random seed)'],
    [{ seed: 2 ** 31 }, 'seed: must be below 2147483648'],
    [{ enable_first_block_cache: 'yes' }, 'enable_first_block_cache: must be true or false'],
    [{ first_block_cache_threshold: 0 }, 'first_block_cache_threshold: must be at least 0.01'],
    [{ first_block_cache_threshold: 0.6 }, 'first_block_cache_threshold: must be at most 0.5'],
    [{ guidance: 3 }, 'guidance: not a parameter of this app; remove it'],
  ])('%j -> %s', (input, message) => {
    expect(s2v(input)).toEqual([message]);
  });
});

describe('Animate parameters (infsh/wan-2-2-animate-v2v)', () => {
  it('fills the app defaults', () => {
    expect(animateParamsSchema.parse({})).toMatchObject({ mode: 'animation', resolution_width: 1280, resolution_height: 720, fps: 30, clip_len: 77, refert_num: 1, shift: 5, sample_solver: 'dpm++', sampling_steps: 20, guide_scale: 1, seed: -1, offload_model: true, colour_match: true });
  });
  it.each([
    [{ clip_len: 76 }, 'clip_len 76: must be 4n+1, like 73 or 77'],
    [{ clip_len: 80 }, 'clip_len 80: must be 4n+1, like 77 or 81'],
    [{ clip_len: 4 }, 'clip_len: must be at least 5'],
    [{ clip_len: 125 }, 'clip_len: must be at most 121'],
    [{ mode: 'swap' }, 'mode: must be animation (move the character) or replacement (put the character into the video)'],
    [{ resolution_width: 511 }, 'resolution_width: must be at least 512'],
    [{ resolution_height: 1921 }, 'resolution_height: must be at most 1920'],
    [{ fps: 0 }, "fps: must be -1 (keep the driving video's rate) or 1 to 60"],
    [{ fps: -2 }, "fps: must be -1 (keep the driving video's rate) or 1 to 60"],
    [{ fps: 61 }, "fps: must be -1 (keep the driving video's rate) or 1 to 60"],
    [{ refert_num: 3 }, 'refert_num: must be 1 or 5 (temporal guidance frames)'],
    [{ shift: 0.5 }, 'shift: must be at least 1'],
    [{ sample_solver: 'euler' }, 'sample_solver: must be dpm++ or unipc'],
    [{ sampling_steps: 9 }, 'sampling_steps: must be at least 10'],
    [{ sampling_steps: 51 }, 'sampling_steps: must be at most 50'],
    [{ guide_scale: 11 }, 'guide_scale: must be at most 10'],
    [{ mask_iterations: 0 }, 'mask_iterations: must be at least 1'],
    [{ mask_kernel_size: 16 }, 'mask_kernel_size: must be at most 15'],
    [{ mask_w_subdivisions: 6 }, 'mask_w_subdivisions: must be at most 5'],
    [{ mask_h_subdivisions: 0 }, 'mask_h_subdivisions: must be at least 1'],
    [{ seed: -2 }, 'seed: must be -1 (random) or 0 to 2147483647'],
    [{ retarget_flag: 1 }, 'retarget_flag: must be true or false'],
    [{ use_flux: 'no' }, 'use_flux: must be true or false'],
    [{ offload_model: null }, 'offload_model: must be true or false'],
    [{ colour_match: 'yes' }, 'colour_match: must be true or false'],
    [{ input_prompt: 5 }, 'input_prompt: must be text'],
    [{ n_prompt: 'x'.repeat(2001) }, 'n_prompt: must be at most 2000 characters'],
  ])('%j -> %s', (input, message) => {
    expect(animate(input)).toEqual([message]);
  });

  it('reports every problem at once', () => {
    expect(animate({ clip_len: 76, sampling_steps: 5, mode: 'x' })).toHaveLength(3);
  });

  it('the clip length hint names the nearest valid values', () => {
    expect(clipLenHint(76)).toBe('73 or 77');
    expect(clipLenHint(6)).toBe('5 or 9');
    expect(clipLenHint(120)).toBe('117 or 121');
  });
});

describe('form metadata', () => {
  it('only colour matching is a local-only setting, and its tooltip says the cloud ignores it', () => {
    expect(localOnlyFields(paramsFields.s2v)).toEqual([]);
    expect(localOnlyFields(paramsFields.animate)).toEqual(['colour_match']);
    expect(paramsFields.animate.colour_match.localOnly).toMatch(/cloud .* ignores it/);
  });
  it('every parameter of both apps has a form field, and no field lacks a parameter', () => {
    for (const app of ['s2v', 'animate'] as const) {
      expect(Object.keys(paramsFields[app]).sort()).toEqual(Object.keys(paramsSchemas[app].shape).sort());
    }
  });
  it('numeric field ranges agree with the schema', () => {
    for (const app of ['s2v', 'animate'] as const) {
      for (const [field, meta] of Object.entries(paramsFields[app])) {
        if (meta.kind !== 'int' && meta.kind !== 'number') continue;
        const schema = paramsSchemas[app];
        const base = app === 's2v' ? { prompt: 'x' } : {};
        expect(schema.safeParse({ ...base, [field]: meta.min }).success, `${app}.${field} min`).toBe(true);
        expect(schema.safeParse({ ...base, [field]: meta.max }).success, `${app}.${field} max`).toBe(true);
        expect(schema.safeParse({ ...base, [field]: meta.max + 1 }).success, `${app}.${field} above max`).toBe(false);
      }
    }
  });
});
