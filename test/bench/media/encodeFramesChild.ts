// Bench child: encodes N seconds of 720p RGB frames through the real frame writer and prints its
// own peak RSS. Frames are drawn into a few reused buffers so the bench measures the writer.
import { createFrameWriter } from '../../../main/core/media/frameWriter';

const [out, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 60);
const fps = 25;
const w = 1280;
const h = 720;
const pool = Array.from({ length: 4 }, (_, k) => {
  const b = Buffer.alloc(w * h * 3);
  for (let i = 0; i < b.length; i += 3) {
    b[i] = (i / 3 + k * 40) & 255;
    b[i + 1] = ((i / 3 / w) | 0) & 255;
    b[i + 2] = k * 60;
  }
  return b;
});
const writer = await createFrameWriter({ output: out as string, width: w, height: h, fps, preset: 'ultrafast', crf: 30 });
for (let i = 0; i < seconds * fps; i++) await writer.write(pool[i % pool.length] as Buffer);
await writer.finish();
process.stdout.write(`maxRssKb=${process.resourceUsage().maxRSS}\n`);
