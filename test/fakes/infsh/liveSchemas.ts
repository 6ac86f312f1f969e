/**
 * The apps' input_schema.json as the reference records them (grid repo, research/infsh-api.md §9).
 * Served by GET /apps/infsh/<name>; tests edit a copy to check that our diff reports drift.
 */
const file = (description: string) => ({ $ref: '#/$defs/File', description });

export const liveInputSchemas: Record<string, Record<string, unknown>> = {
  'infsh/wan-2-2-s2v': {
    title: 'AppInput',
    type: 'object',
    required: ['image', 'audio', 'prompt'],
    properties: {
      image: file('First frame image for video generation'),
      audio: file('Audio file for speech-to-video generation'),
      prompt: { type: 'string', description: 'Text prompt describing the desired video content' },
      resolution: { type: 'string', enum: ['480p', '720p'], default: '720p', description: 'Resolution preset' },
      num_frames_per_chunk: { type: 'integer', default: 81, description: 'Number of frames to generate per chunk' },
      fps: { type: 'integer', default: 16, description: 'Frames per second for the output video' },
      seed: { anyOf: [{ type: 'integer' }, { type: 'null' }], default: null, description: 'Random seed for reproducibility' },
      enable_first_block_cache: { type: 'boolean', default: true, description: 'Enable first block cache for faster inference' },
      first_block_cache_threshold: { type: 'number', default: 0.05, minimum: 0.01, maximum: 0.5, description: 'Threshold for first block cache' },
    },
  },
  'infsh/wan-2-2-animate-v2v': {
    title: 'AppInput',
    type: 'object',
    required: ['driving_video', 'reference_image'],
    properties: {
      driving_video: file('driving_video'),
      reference_image: file('reference_image'),
      mode: { type: 'string', default: 'animation' },
      resolution_width: { type: 'integer', default: 1280, minimum: 512, maximum: 1920 },
      resolution_height: { type: 'integer', default: 720, minimum: 512, maximum: 1920 },
      fps: { type: 'integer', default: 30, minimum: -1, maximum: 60 },
      retarget_flag: { type: 'boolean', default: false },
      use_flux: { type: 'boolean', default: false },
      mask_iterations: { type: 'integer', default: 3, minimum: 1, maximum: 10 },
      mask_kernel_size: { type: 'integer', default: 7, minimum: 3, maximum: 15 },
      mask_w_subdivisions: { type: 'integer', default: 1, minimum: 1, maximum: 5 },
      mask_h_subdivisions: { type: 'integer', default: 1, minimum: 1, maximum: 5 },
      clip_len: { type: 'integer', default: 77, minimum: 5, maximum: 121 },
      refert_num: { type: 'integer', default: 1 },
      shift: { type: 'number', default: 5.0, minimum: 1.0, maximum: 10.0 },
      sample_solver: { type: 'string', default: 'dpm++' },
      sampling_steps: { type: 'integer', default: 20, minimum: 10, maximum: 50 },
      guide_scale: { type: 'number', default: 1.0, minimum: 1.0, maximum: 10.0 },
      input_prompt: { type: 'string', default: '' },
      n_prompt: { type: 'string', default: '' },
      seed: { type: 'integer', default: -1 },
      offload_model: { type: 'boolean', default: true },
    },
  },
};
