import type { FromWorker, ToWorker } from '../../common/worker/protocol';
import type { BundledDetector } from './bundledDetector';
import type { OfficialDetector } from './official/officialDetector';

type DetectRequest = Extract<ToWorker, { type: 'detect' }>;

/**
 * Answers the worker's `detect` messages, one at a time and in order, with the detector opened
 * once per models folder and kept. Every failure becomes a `detectFailed` answer naming it; the
 * worker itself stays up for the next frame.
 */
export class DetectHandler {
  private readonly detectors = new Map<string, Promise<BundledDetector>>();
  private readonly official = new Map<string, Promise<OfficialDetector>>();
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

  /** The official models when a preprocess pack is installed (masks still from the bundled model). */
  private officialDetector(packDir: string, modelsDir: string): Promise<OfficialDetector> {
    let d = this.official.get(packDir);
    if (!d) {
      d = Promise.all([import('./official/officialDetector'), this.bundled(modelsDir)]).then(([m, masks]) => m.OfficialDetector.open(packDir, masks));
      d.catch(() => this.official.delete(packDir));
      this.official.set(packDir, d);
    }
    return d.catch((e: unknown) => {
      throw new Error(`The preprocess pack at ${packDir} could not be loaded (${(e as Error).message}). Reinstall it, or remove it to use the bundled preview models.`);
    });
  }

  private bundled(modelsDir: string): Promise<BundledDetector> {
    return this.detector(modelsDir).catch((e: unknown) => {
      throw new Error(`The bundled preview models could not be loaded from ${modelsDir} (${(e as Error).message}). Reinstall the studio, or run "npm install" in a source checkout.`);
    });
  }

  private async run(msg: DetectRequest): Promise<void> {
    try {
      const detector = msg.preprocessPackDir ? await this.officialDetector(msg.preprocessPackDir, msg.modelsDir) : await this.bundled(msg.modelsDir);
      const detection = await detector.detect(msg.frame);
      this.send({ type: 'detection', id: msg.id, detection });
    } catch (e) {
      this.send({ type: 'detectFailed', id: msg.id, message: (e as Error).message });
    }
  }
}
