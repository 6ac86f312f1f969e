import type { Envelope } from './errors';

/** The WebSocket wire format between the headless server and the page. JSON text frames only. */
export type ClientMessage = { t: 'req'; id: number; channel: string; input: unknown };

export type ServerMessage =
  | { t: 'hello'; version: string }
  | { t: 'res'; id: number; envelope: Envelope<unknown> }
  | { t: 'evt'; name: string; payload: unknown };

export const WS_PATH = '/ws';
export const UPLOAD_PATH = '/api/upload';
export const MEDIA_PATH = '/media/';
