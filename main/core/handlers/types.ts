import type { Channel, ChannelsOf, Namespace, OutputOf, ParsedInputOf } from '../contract/index';
import type { EventBus } from '../eventBus';
import type { Library } from '../library/library';
import type { Logger } from '../logger';

/** Who is asking: the transport decides what a request may reach (paths only from the app). */
export interface RequestContext {
  transport: 'ipc' | 'ws';
  signal?: AbortSignal;
}

export interface StudioServices {
  library: Library;
  events: EventBus;
  log: Logger;
}

export type Handler<C extends Channel> = (input: ParsedInputOf<C>, ctx: RequestContext) => Promise<OutputOf<C>> | OutputOf<C>;

/** One domain's handlers: exactly the channels of that namespace, no more, no fewer. */
export type HandlersFor<N extends Namespace> = { [C in ChannelsOf<N>]: Handler<C> };

export type HandlerMap = { [C in Channel]: Handler<C> };
