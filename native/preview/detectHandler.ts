import type { FromWorker, ToWorker } from '../../common/worker/protocol';
import type { BundledDetector } from './bundledDetector';

type DetectRequest = Extract<ToWorker, { type: 'detect' }>;

/**
 * Answers the worker's `detect` messages, one at a time and in order, with the detector opened
 * once per models folder and kept. Every failure becomes a `detectFailed` answer naming it; the
 * worker itself stays up for the next frame.
 */
export class DetectHandler {
  private readonly detectors = new Map<string, Promise<BundledDetector>>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly send: (m: FromWorker) => void) {}

  handle(msg: DetectRequest): void {
    this.queue = this.queue.then(() => this.run(msg));
  }

  private detector(modelsDir: string): Promise<BundledDetector> {
    let d = this.detectors.get(modelsDir);
    if (!d) {
      // Loaded on first use: a render-only worker never pays for TF.js.
      d = import('./bundledDetector').then((m) => m.BundledDetector.open(modelsDir));
      // A failed open is not cached: the next request tries again (e.g. after "npm install").
      d.catch(() => this.detectors.delete(modelsDir));
      this.detectors.set(modelsDir, d);
    }
    return d;
  }

  private async run(msg: DetectRequest): Promise<void> {
    try {
      const detector = await this.detector(msg.modelsDir).catch((e: unknown) => {
        throw new Error(`The bundled preview models could not be loaded from ${msg.modelsDir} (${(e as Error).message}). Reinstall the studio, or run "npm install" in a source checkout.`);
      });
      const detection = await detector.detect(msg.frame);
      this.send({ type: 'detection', id: msg.id, detection });
    } catch (e) {
      this.send({ type: 'detectFailed', id: msg.id, message: (e as Error).message });
    }
  }
}
