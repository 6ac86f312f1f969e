import type { StudioApi } from '../../main/core/contract/api';

declare global {
  interface Window {
    /** Present in the desktop app (exposed by the preload); absent in a browser, where we build it over WebSocket. */
    studio?: StudioApi;
  }
}
export {};
