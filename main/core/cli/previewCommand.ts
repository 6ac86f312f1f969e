import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { primaryPersonIndex } from '../../../common/animate/detection';
import { maskParamsOf } from '../../../common/animate/maskAugment';
import { personIssues } from '../../../common/animate/personChecks';
import { faceImage, maskOverlay, poseImage } from '../../../common/animate/previewImages';
import { installedPreprocessPack, PreviewDetector } from '../animate/previewDetector';
import { readStill, writePng } from '../animate/stillFrames';
import { StudioError } from '../contract/errors';
import { animateParamsSchema } from '../contract/params/animateParams';
import { describeIssues } from '../contract/validation';
import { UsageError, type CliIo } from './io';

export const previewHelp = `Usage:
  wan-studio preview pose|mask|face (--video FILE --at SEC | --image FILE) --out OUT.png
      [--mask-iterations N] [--mask-kernel N] [--mask-columns N] [--mask-rows N] [--person N]
      [--preprocess DIR]

Finds the people in one frame with the bundled preview models and writes what Wan Animate gets:
  pose   the skeleton picture Wan conditions on (black canvas, frame size)
  mask   the frame with the replacement mask tinted and its subdivision grid drawn
  face   the 512 x 512 face crop
Prints the person used (box in pixels, 1-based person number) and any warnings as JSON.
Mask options take the Animate parameters' ranges (defaults 3, 7, 1, 1).
--preprocess DIR uses the official YOLOv10m + ViTPose-H wholebody ONNX files (Wan2.2-Animate-14B's
process_checkpoint folder: det/yolov10m.onnx, pose2d/vitpose_h_wholebody.onnx) for people and poses.`;

const kinds = ['pose', 'mask', 'face'] as const;

export async function previewCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      video: { type: 'string' },
      image: { type: 'string' },
      at: { type: 'string' },
      out: { type: 'string' },
      person: { type: 'string' },
      'mask-iterations': { type: 'string' },
      'mask-kernel': { type: 'string' },
      'mask-columns': { type: 'string' },
      'mask-rows': { type: 'string' },
      home: { type: 'string' },
      preprocess: { type: 'string' },
    },
  });
  const kind = positionals[0] as (typeof kinds)[number] | undefined;
  if (!kind || !kinds.includes(kind)) throw new UsageError(`say what to preview: ${kinds.join(', ')}.`);
  if (!values.out) throw new UsageError('--out OUT.png is required.');
  if (!!values.video === !!values.image) throw new UsageError('give one of --video FILE (with --at SEC) or --image FILE.');
  const at = values.at === undefined ? 0 : Number(values.at);
  if (!Number.isFinite(at) || at < 0) throw new UsageError(`--at must be a time in seconds, not "${values.at}".`);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const parsed = animateParamsSchema.safeParse({
    mask_iterations: num(values['mask-iterations']),
    mask_kernel_size: num(values['mask-kernel']),
    mask_w_subdivisions: num(values['mask-columns']),
    mask_h_subdivisions: num(values['mask-rows']),
  });
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error.issues));
  const source = resolve((values.video ?? values.image)!);
  const where = values.video ? `${basename(source)} at ${at} s` : basename(source);

  const frame = await readStill(source, values.video ? at : 0);
  let preprocess: string | null = null;
  if (values.preprocess) {
    preprocess = installedPreprocessPack(resolve(values.preprocess));
    if (!preprocess) throw new StudioError('invalid_input', `--preprocess ${values.preprocess}: not a preprocess pack (it needs det/yolov10m.onnx and pose2d/vitpose_h_wholebody.onnx, as in Wan2.2-Animate-14B's process_checkpoint).`);
  }
  const detector = new PreviewDetector(undefined, undefined, () => preprocess);
  try {
    const detection = await detector.detect(frame);
    const picked = values.person === undefined ? null : Number(values.person) - 1;
    if (picked !== null && (!Number.isInteger(picked) || picked < 0 || picked >= detection.people.length)) {
      throw new StudioError('invalid_input', `--person ${values.person}: ${where} has ${detection.people.length} people; choose 1 to ${detection.people.length}.`);
    }
    const used = picked ?? primaryPersonIndex(detection.people);
    const issues = personIssues(detection, used, where);
    const fatal = issues.find((i) => i.kind === 'no_person');
    if (fatal) throw new StudioError('invalid_input', fatal.message);
    const person = detection.people[used]!;
    const out = resolve(values.out);
    if (kind === 'pose') await writePng(out, { width: detection.width, height: detection.height, rgb: poseImage(detection, person).data });
    else if (kind === 'mask') await writePng(out, { width: detection.width, height: detection.height, rgb: maskOverlay(frame.rgb, detection, person, maskParamsOf(parsed.data)).rgb });
    else {
      const face = faceImage(frame.rgb, detection, person);
      if (!face) throw new StudioError('invalid_input', `No face found on the person in ${where}: the face crop needs the head in view.`);
      await writePng(out, { width: face.size, height: face.size, rgb: face.rgb });
    }
    const round = (v: number) => Math.round(v * 10) / 10;
    const b = person.box;
    io.out(
      JSON.stringify({
        person: used + 1,
        people: detection.people.length,
        box: { x1: round(b.x1), y1: round(b.y1), x2: round(b.x2), y2: round(b.y2), score: Math.round(b.score * 1000) / 1000 },
        frame: { width: detection.width, height: detection.height },
        model: detection.model.label,
        warnings: issues.map((i) => i.message),
        out,
      }),
    );
    return 0;
  } finally {
    await detector.dispose();
  }
}
