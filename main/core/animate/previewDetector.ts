import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameDetection } from '../../../common/animate/detection';
import { StudioError } from '../contract/errors';
import type { Disposable } from '../lifecycle';
import { forkAdapterFactory } from '../engines/local/forkAdapter';
import { workerEntry, type WorkerAdapterFactory } from '../engines/local/workerAdapter';
import { WorkerDriver } from '../engines/local/workerDriver';
import { previewModelsDir } from './previewModels';

export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

interface Pending {
  resolve: (d: FrameDetection) => void;
  reject: (e: Error) => void;
}

/**
 * Person detection for Animate previews, off the main thread: one inference worker kept while
 * previews are wanted, frames sent to it one message each and answered by id. A dead worker
 * fails what was pending with a message that says so and is restarted on the next frame.
 */
export class PreviewDetector implements Disposable {
  private driver: WorkerDriver | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly adapterFactory: WorkerAdapterFactory = forkAdapterFactory,
    private readonly modelsDir: () => string = previewModelsDir,
    /** The official preprocess pack's folder when one is installed (used instead of the bundled pose models). */
    private readonly preprocessPackDir: () => string | null = () => null,
  ) {}

  detect(frame: RgbImage): Promise<FrameDetection> {
    const driver = this.worker();
    const id = this.nextId++;
    return new Promise<FrameDetection>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      driver.send({ type: 'detect', id, modelsDir: this.modelsDir(), preprocessPackDir: this.preprocessPackDir(), frame: { width: frame.width, height: frame.height, rgb: frame.rgb } });
    });
  }

  private worker(): WorkerDriver {
    if (this.driver) return this.driver;
    const driver = new WorkerDriver(this.adapterFactory(workerEntry()));
    driver.onMessage((m) => {
      if (m.type === 'detection') this.settle(m.id)?.resolve(m.detection);
      else if (m.type === 'detectFailed') this.settle(m.id)?.reject(new StudioError('unavailable', `The person preview failed: ${m.message}`));
      // An answer that could not be read (or a worker-wide failure) fails everything waiting.
      else if (m.type === 'error') for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new StudioError('unavailable', `The person preview failed: ${m.message}`));
    });
    void driver.whenExited().then((end) => {
      if (this.driver === driver) this.driver = null;
      const why = end.reason === 'oom' ? 'ran out of memory' : end.reason === 'killed' ? 'was stopped' : 'stopped unexpectedly';
      for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new StudioError('unavailable', `The preview worker ${why}; try the preview again.`));
    });
    this.driver = driver;
    return driver;
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  async dispose(): Promise<void> {
    const d = this.driver;
    this.driver = null;
    await d?.dispose();
  }
}

/** A preprocess pack folder holds the official process_checkpoint files: det/yolov10m.onnx and pose2d/vitpose_h_wholebody.onnx. */
export function installedPreprocessPack(dir: string): string | null {
  return existsSync(join(dir, 'det', 'yolov10m.onnx')) && existsSync(join(dir, 'pose2d', 'vitpose_h_wholebody.onnx')) ? dir : null;
}
