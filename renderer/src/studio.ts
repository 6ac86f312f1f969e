import { buildStudioApi, type StudioApi } from '../../main/core/contract/api';
import { createWsPort } from './transport/wsPort';

let instance: StudioApi | null = null;

/** The studio API: from the preload in the app, over WebSocket in a browser. Pages never know which. */
export function studio(): StudioApi {
  instance ??= window.studio ?? buildStudioApi(createWsPort());
  return instance;
}
