import type { Channel, ChannelsOf, Namespace, OutputOf, ParsedInputOf, Transport } from '../contract/index';
import type { EventBus } from '../eventBus';
import type { Library } from '../library/library';
import type { AnimatePreviewService } from '../animate/animatePreviewService';
import type { CloudAccount } from '../engines/cloud/cloudAccount';
import type { CloudEngine } from '../engines/cloud/cloudEngine';
import type { PackStore } from '../engines/local/packStore';
import type { Logger } from '../logger';
import type { QueueService } from '../queue/queueService';
import type { OutputService } from '../render/outputService';
import type { RenderService } from '../render/renderService';

/**
 * Who is asking. The app window (ipc) and the command line (cli) act for the local user and may
 * name files on this machine; a browser page (ws) may only upload.
 */
export interface RequestContext {
  transport: Transport;
  signal?: AbortSignal;
}

export interface StudioServices {
  library: Library;
  events: EventBus;
  log: Logger;
  render: RenderService;
  queue: QueueService;
  outputs: OutputService;
  cloud: CloudAccount;
  cloudEngine: CloudEngine;
  packs: PackStore;
  animatePreviews: AnimatePreviewService;
}

export type Handler<C extends Channel> = (input: ParsedInputOf<C>, ctx: RequestContext) => Promise<OutputOf<C>> | OutputOf<C>;

/** One domain's handlers: exactly the channels of that namespace, no more, no fewer. */
export type HandlersFor<N extends Namespace> = { [C in ChannelsOf<N>]: Handler<C> };

export type HandlerMap = { [C in Channel]: Handler<C> };
