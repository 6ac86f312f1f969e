import { AnimatePreviewService } from './animate/animatePreviewService';
import { installedPreprocessPack } from './animate/previewDetector';
import { CloudAccount } from './engines/cloud/cloudAccount';
import { CloudEngine, type CloudEngineOptions } from './engines/cloud/cloudEngine';
import { FileSecretStore, type SecretStore } from './engines/cloud/secretStore';
import { LocalEngine, type LocalEngineOptions } from './engines/local/localEngine';
import { PackStore } from './engines/local/packStore';
import { join } from 'node:path';
import { EventBus } from './eventBus';
import { createHandlers } from './handlers/index';
import { createRouter, type Dispatch } from './handlers/router';
import { Library } from './library/library';
import { createLogger, type Logger } from './logger';
import { checkToolVariables } from './media/toolCheck';
import type { Disposable } from './lifecycle';
import { QueueService } from './queue/queueService';
import { OutputService } from './render/outputService';
import { RenderService, type RenderServiceOptions } from './render/renderService';

export interface StudioCore extends Disposable {
  library: Library;
  events: EventBus;
  dispatch: Dispatch;
  log: Logger;
  render: RenderService;
  queue: QueueService;
  cloud: CloudAccount;
  packs: PackStore;
  localEngine: LocalEngine;
  animatePreviews: AnimatePreviewService;
  dispose(): Promise<void>;
}

export interface StudioCoreOptions {
  home: string;
  log?: Logger;
  /** Where the inference.sh key is kept: Electron safeStorage in the app, a 0600 file headless. */
  secrets?: SecretStore;
  /**
   * Pick up unfinished renders (re-attach submitted cloud tasks, queue the rest). The app and the
   * server do; one-shot CLI commands do not, so `projects list` never starts cloud work.
   */
  resumeJobs?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Test hooks for the cloud client's timings. */
  cloudTimings?: Omit<CloudEngineOptions, 'connection' | 'tools'>;
  renderOptions?: RenderServiceOptions;
  /** Test and bench hooks for the local engine (fewer sampling steps). */
  localOptions?: Pick<LocalEngineOptions, 'sampling' | 'keepLoaded' | 'cancelGraceMs' | 'workerFactory'>;
}

/** The studio without any window: what the Electron app, the headless server, the CLI and the tests all run. */
export async function createStudioCore(options: StudioCoreOptions): Promise<StudioCore> {
  const log = options.log ?? createLogger('core');
  // resolveTool reads these from the process environment, so that is what is checked.
  await checkToolVariables(process.env);
  const library = await Library.open(options.home);
  const events = new EventBus(log);
  const cloud = new CloudAccount(library, options.secrets ?? FileSecretStore.inLibrary(library.home), options.env ?? process.env);
  const cloudEngine = new CloudEngine({ ...options.cloudTimings, connection: () => cloud.connection(), tools: () => library.toolPreferences() });
  const packs = new PackStore(join(library.home, 'packs'));
  const localEngine = new LocalEngine({ ...options.localOptions, packs, tools: () => library.toolPreferences(), provider: () => library.readSettings().localProvider,
    preprocessPackDir: () => installedPreprocessPack(join(library.home, 'preprocess')),
  });
  const render = new RenderService(library, events, { cloud: cloudEngine, local: localEngine }, log, options.renderOptions);
  const outputs = new OutputService(library, events);
  const queue = new QueueService(library, events, render);
  const animatePreviews = new AnimatePreviewService(library, events, options.localOptions?.workerFactory);
  const handlers = createHandlers({ library, events, log, render, queue, outputs, cloud, cloudEngine, packs, animatePreviews });
  const dispatch = createRouter(handlers, log);
  if (options.resumeJobs) render.start();
  return {
    library,
    events,
    dispatch,
    log,
    render,
    queue,
    cloud,
    packs,
    localEngine,
    animatePreviews,
    async dispose() {
      outputs.dispose();
      await animatePreviews.dispose();
      await render.dispose();
      library.close();
    },
  };
}
