import type { EventDef, InputOfDef, OutputOfDef, ParsedInputOfDef, PayloadOfDef, RequestDef } from './define';
import { animateEvents, animateRequests } from './animate';
import { cloudEvents, cloudRequests } from './cloud';
import { enginesEvents, enginesRequests } from './engines';
import { libraryEvents, libraryRequests } from './library';
import { mediaEvents, mediaRequests } from './media';
import { queueEvents, queueRequests } from './queue';
import { presetsEvents, presetsRequests } from './presets';
import { renderEvents, renderRequests } from './render';
import { settingsEvents, settingsRequests } from './settings';

/**
 * The one API the renderer may use. Every request and event is declared here once; the preload,
 * the WebSocket client, the handlers and the types are all derived from these two maps.
 * Add a domain by adding its file and spreading it here; the handler-completeness type test then
 * fails until its handlers exist.
 */
export const requests = {
  ...libraryRequests,
  ...mediaRequests,
  ...settingsRequests,
  ...renderRequests,
  ...cloudRequests,
  ...enginesRequests,
  ...queueRequests,
  ...animateRequests,
  ...presetsRequests,
} as const satisfies Record<string, RequestDef>;

export const events = {
  ...libraryEvents,
  ...mediaEvents,
  ...settingsEvents,
  ...renderEvents,
  ...cloudEvents,
  ...enginesEvents,
  ...queueEvents,
  ...animateEvents,
  ...presetsEvents,
} as const satisfies Record<string, EventDef>;

export type Requests = typeof requests;
export type Events = typeof events;
export type Channel = keyof Requests & string;
export type EventName = keyof Events & string;

export type InputOf<C extends Channel> = InputOfDef<Requests[C]>;
export type ParsedInputOf<C extends Channel> = ParsedInputOfDef<Requests[C]>;
export type OutputOf<C extends Channel> = OutputOfDef<Requests[C]>;
export type PayloadOf<E extends EventName> = PayloadOfDef<Events[E]>;

export const channels = Object.keys(requests) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export const isChannel = (name: string): name is Channel => Object.hasOwn(requests, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);

export type Namespace = Channel extends `${infer N}.${string}` ? N : never;
export type ChannelsOf<N extends string> = Extract<Channel, `${N}.${string}`>;
export type MethodOf<C extends string> = C extends `${string}.${infer M}` ? M : never;

export * from './errors';
export * from './types';
export * from './renderTypes';
export * from './cloudTypes';
export * from './enginesTypes';
export * from './queueTypes';
export * from './animateTypes';
export * from './define';
export type { PresetDto } from './presets';
