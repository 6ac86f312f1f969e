export type Container = 'mp4' | 'mov' | 'webm' | 'gif';

/**
 * Render settings and seed embedded in the output file, so a video found on disk later still
 * says how it was made, plus the container flags that go with them. mp4/mov keep custom keys
 * only with use_metadata_tags, and ffmpeg takes one -movflags, so the flags are combined here.
 */
export function containerArgs(container: Container, metadata?: Record<string, unknown>, options: { faststart?: boolean } = {}): string[] {
  const args: string[] = [];
  const movflags: string[] = [];
  if (metadata && container !== 'gif') {
    const json = JSON.stringify(metadata);
    args.push('-metadata', `comment=${json}`, '-metadata', 'encoder=Wan Studio');
    if (container === 'mp4' || container === 'mov') {
      args.push('-metadata', `wan_studio=${json}`);
      movflags.push('+use_metadata_tags');
    }
  }
  if ((options.faststart ?? true) && (container === 'mp4' || container === 'mov')) movflags.push('+faststart');
  if (movflags.length > 0) args.push('-movflags', movflags.join(''));
  return args;
}
