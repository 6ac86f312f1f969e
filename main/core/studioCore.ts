import { EventBus } from './eventBus';
import { createHandlers } from './handlers/index';
import { createRouter, type Dispatch } from './handlers/router';
import { Library } from './library/library';
import { createLogger, type Logger } from './logger';
import type { Disposable } from './lifecycle';

export interface StudioCore extends Disposable {
  library: Library;
  events: EventBus;
  dispatch: Dispatch;
  log: Logger;
}

/** The studio without any window: what the Electron app, the headless server, the CLI and the tests all run. */
export async function createStudioCore(options: { home: string; log?: Logger }): Promise<StudioCore> {
  const log = options.log ?? createLogger('core');
  const library = await Library.open(options.home);
  const events = new EventBus();
  const handlers = createHandlers({ library, events, log });
  const dispatch = createRouter(handlers, log);
  return {
    library,
    events,
    dispatch,
    log,
    dispose() {
      library.close();
    },
  };
}
