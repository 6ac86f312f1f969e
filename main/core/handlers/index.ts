import { animateHandlers } from './animateHandlers';
import { cloudHandlers } from './cloudHandlers';
import { enginesHandlers } from './enginesHandlers';
import { libraryHandlers } from './libraryHandlers';
import { mediaHandlers } from './mediaHandlers';
import { queueHandlers } from './queueHandlers';
import { presetsHandlers } from './presetsHandlers';
import { renderHandlers } from './renderHandlers';
import { settingsHandlers } from './settingsHandlers';
import type { HandlerMap, StudioServices } from './types';

/** All handlers, one file per domain. The satisfies clause fails to compile if a channel lacks one. */
export function createHandlers(services: StudioServices) {
  return {
    ...libraryHandlers(services),
    ...mediaHandlers(services),
    ...settingsHandlers(services),
    ...renderHandlers(services),
    ...cloudHandlers(services),
    ...enginesHandlers(services),
    ...queueHandlers(services),
    ...animateHandlers(services),
    ...presetsHandlers(services),
  } satisfies HandlerMap;
}

export type { HandlerMap, RequestContext, StudioServices } from './types';
