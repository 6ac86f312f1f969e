import type { GraphModel } from '@tensorflow/tfjs-converter';
import { poseFromCoco17, type Keypoint } from '../../common/animate/pose';
import { BUNDLED_MODEL, type DetectedPerson, type FrameDetection } from '../../common/animate/detection';
import { loadLocalGraphModel, tf } from './tfRuntime';

/**
 * The preview detector that ships with the app: MoveNet MultiPose finds up to six people (box +
 * 17 COCO keypoints each), then MediaPipe Selfie Segmentation runs on each person's own crop (a
 * full-body person is small in the frame; in a square crop around them the model sees them the
 * way it was trained, close up).
 */
const POSE_INPUT = 256;
const SEG_INPUT = 256;
const MIN_PERSON_SCORE = 0.2;
const MASK_THRESHOLD = 0.5;

export interface RgbFrame {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

export class BundledDetector {
  private constructor(
    private readonly pose: GraphModel,
    private readonly seg: GraphModel,
  ) {}

  static async open(modelsDir: string): Promise<BundledDetector> {
    const [pose, seg] = await Promise.all([loadLocalGraphModel(modelsDir, 'movenet-multipose'), loadLocalGraphModel(modelsDir, 'selfie')]);
    return new BundledDetector(pose, seg);
  }

  async detect(frame: RgbFrame): Promise<FrameDetection> {
    const image = tf.tensor3d(frame.rgb, [frame.height, frame.width, 3], 'int32');
    try {
      const people = await this.findPeople(image, frame.width, frame.height);
      const withMasks: DetectedPerson[] = [];
      for (const person of people) withMasks.push({ ...person, mask: await this.personMask(image, frame.width, frame.height, person) });
      return { width: frame.width, height: frame.height, model: BUNDLED_MODEL, people: withMasks };
    } finally {
      image.dispose();
    }
  }

  /** The person mask for a person another model found (the official pack has no SAM2 in ONNX). */
  async maskFor(frame: RgbFrame, person: DetectedPerson): Promise<DetectedPerson['mask']> {
    const image = tf.tensor3d(frame.rgb, [frame.height, frame.width, 3], 'int32');
    try {
      return await this.personMask(image, frame.width, frame.height, person);
    } finally {
      image.dispose();
    }
  }

  /** The square box (normalised, may reach outside [0,1]) that letterboxes the frame. */
  private static squareBox(width: number, height: number): [number, number, number, number] {
    const side = Math.max(width, height);
    const padY = (side - height) / 2 / height;
    const padX = (side - width) / 2 / width;
    return [-padY, -padX, 1 + padY, 1 + padX];
  }

  private async findPeople(image: tf.Tensor3D, width: number, height: number): Promise<DetectedPerson[]> {
    const side = Math.max(width, height);
    const box = BundledDetector.squareBox(width, height);
    const input = tf.tidy(() =>
      tf.cast(tf.round(tf.image.cropAndResize(tf.cast(tf.expandDims(image, 0), 'float32') as tf.Tensor4D, [box], [0], [POSE_INPUT, POSE_INPUT], 'bilinear', 0)), 'int32'),
    );
    const output = this.pose.execute(input) as tf.Tensor;
    const rows = (await output.array()) as number[][][];
    input.dispose();
    output.dispose();
    const toX = (nx: number) => nx * side - (side - width) / 2;
    const toY = (ny: number) => ny * side - (side - height) / 2;
    const people: DetectedPerson[] = [];
    for (const row of rows[0] ?? []) {
      const score = row[55]!;
      if (score < MIN_PERSON_SCORE) continue;
      const points: Keypoint[] = [];
      for (let k = 0; k < 17; k++) points.push({ x: toX(row[k * 3 + 1]!), y: toY(row[k * 3]!), score: row[k * 3 + 2]! });
      const b = { x1: Math.max(0, toX(row[52]!)), y1: Math.max(0, toY(row[51]!)), x2: Math.min(width, toX(row[54]!)), y2: Math.min(height, toY(row[53]!)), score };
      people.push({ ...poseFromCoco17(points, b), mask: null } as DetectedPerson);
    }
    return people;
  }

  /** Selfie segmentation on a square crop around the person (box grown by 15%), thresholded at 0.5. */
  private async personMask(image: tf.Tensor3D, width: number, height: number, person: DetectedPerson): Promise<DetectedPerson['mask']> {
    const { x1, y1, x2, y2 } = person.box;
    const side = Math.max(x2 - x1, y2 - y1) * 1.15;
    if (side < 2) return null;
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    const crop = { x0: cx - side / 2, y0: cy - side / 2 };
    const box: [number, number, number, number] = [crop.y0 / height, crop.x0 / width, (crop.y0 + side) / height, (crop.x0 + side) / width];
    const prob = tf.tidy(() => {
      const input = tf.image.cropAndResize(tf.div(tf.cast(tf.expandDims(image, 0), 'float32'), 255) as tf.Tensor4D, [box], [0], [SEG_INPUT, SEG_INPUT], 'bilinear', 0);
      return tf.reshape(this.seg.execute(input) as tf.Tensor, [SEG_INPUT, SEG_INPUT]);
    });
    const values = (await prob.data()) as Float32Array;
    prob.dispose();
    // Back to frame pixels, only inside the frame and the crop.
    const rx0 = Math.max(0, Math.floor(crop.x0));
    const ry0 = Math.max(0, Math.floor(crop.y0));
    const rx1 = Math.min(width, Math.ceil(crop.x0 + side));
    const ry1 = Math.min(height, Math.ceil(crop.y0 + side));
    const w = Math.max(0, rx1 - rx0);
    const h = Math.max(0, ry1 - ry0);
    const data = new Uint8Array(w * h);
    const scale = SEG_INPUT / side;
    for (let y = 0; y < h; y++) {
      const sy = Math.min(SEG_INPUT - 1, Math.max(0, Math.floor((ry0 + y + 0.5 - crop.y0) * scale)));
      for (let x = 0; x < w; x++) {
        const sx = Math.min(SEG_INPUT - 1, Math.max(0, Math.floor((rx0 + x + 0.5 - crop.x0) * scale)));
        data[y * w + x] = values[sy * SEG_INPUT + sx]! > MASK_THRESHOLD ? 1 : 0;
      }
    }
    strokeLimbs(data, w, h, rx0, ry0, person);
    return { x0: rx0, y0: ry0, width: w, height: h, data };
  }
}

/** Body limbs as [from, to] indices of the 20-point body (torso sides, arms, legs, head). */
const STROKES: readonly (readonly [number, number])[] = [
  [1, 2], [2, 3], [3, 4], [1, 5], [5, 6], [6, 7], [1, 8], [8, 9], [9, 10], [1, 11], [11, 12], [12, 13], [8, 11], [2, 8], [5, 11], [0, 1], [0, 14], [0, 15],
];
const STROKE_SCORE = 0.3;

/**
 * The official mask comes from SAM2 prompted with the body joints, so it always holds them. The
 * selfie model is not prompted; the confident limbs are painted into its mask (a stroke 6% of the
 * person's height wide) so thin, fast parts (an arm out, a kicking leg) are not lost either.
 */
function strokeLimbs(data: Uint8Array, w: number, h: number, x0: number, y0: number, person: DetectedPerson): void {
  const r = Math.max(2, 0.03 * (person.box.y2 - person.box.y1));
  const dot = (cx: number, cy: number) => {
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(h - 1, Math.ceil(cy + r)); y++)
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(w - 1, Math.ceil(cx + r)); x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * w + x] = 1;
  };
  for (const [a, b] of STROKES) {
    const p = person.body[a]!;
    const q = person.body[b]!;
    if (p.score < STROKE_SCORE || q.score < STROKE_SCORE) continue;
    const steps = Math.ceil(Math.hypot(q.x - p.x, q.y - p.y) / Math.max(1, r / 2)) + 1;
    for (let s = 0; s <= steps; s++) dot(p.x + ((q.x - p.x) * s) / steps - x0, p.y + ((q.y - p.y) * s) / steps - y0);
  }
  for (const k of person.body) if (k.score >= STROKE_SCORE) dot(k.x - x0, k.y - y0);
}
