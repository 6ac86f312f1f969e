import {
  channels,
  StudioError,
  type Channel,
  type ChannelsOf,
  type Envelope,
  type EventName,
  type InputOf,
  type MethodOf,
  type Namespace,
  type OutputOf,
  type PayloadOf,
} from './index';

/** Turns a file the user dropped or picked into something the main side can import. */
export type FileRef = { kind: 'path'; path: string } | { kind: 'upload'; uploadId: string; name: string };

type NamespaceApi<N extends Namespace> = {
  [C in ChannelsOf<N> as MethodOf<C>]: (input: InputOf<C>) => Promise<OutputOf<C>>;
};

/**
 * What renderer code sees as `window.studio`, whichever transport carries it. Requests are
 * grouped by domain (`studio.library.createProject(...)`); every subscription returns its
 * unsubscribe.
 */
export type StudioApi = { [N in Namespace]: NamespaceApi<N> } & {
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void;
  /** URL the page can use in <img>/<video>/<audio> for a library-relative media path. */
  mediaUrl(libraryPath: string): string;
  /** Hands a browser File to the main side (by path in the app, by upload in a browser). */
  prepareFile(file: File, onProgress?: (sent: number, total: number) => void): Promise<FileRef>;
};

/** The two things a transport must provide; everything else is derived from the contract. */
export interface TransportPort {
  invoke(channel: Channel, input: unknown): Promise<Envelope<unknown>>;
  subscribe(name: EventName, listener: (payload: unknown) => void): () => void;
  mediaUrl(libraryPath: string): string;
  prepareFile(file: File, onProgress?: (sent: number, total: number) => void): Promise<FileRef>;
}

export function buildStudioApi(port: TransportPort): StudioApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const channel of channels) {
    const dot = channel.indexOf('.');
    const ns = channel.slice(0, dot);
    const method = channel.slice(dot + 1);
    const group = (api[ns] ??= {});
    group[method] = async (input: unknown) => {
      const envelope = await port.invoke(channel, input ?? {});
      if (envelope.ok) return envelope.value;
      throw StudioError.fromPayload(envelope.error);
    };
  }
  const extras = {
    // Each listener on its own: in the app the events come through one EventEmitter
    // (ipcRenderer), where a listener that throws would keep the event from the ones after it.
    on: (name: EventName, listener: (payload: never) => void) =>
      port.subscribe(name, (payload) => {
        try {
          (listener as (payload: unknown) => void)(payload);
        } catch (e) {
          console.error(`A listener for the studio event ${name} failed; the other listeners still got it.`, e);
        }
      }),
    mediaUrl: (p: string) => port.mediaUrl(p),
    prepareFile: (file: File, onProgress?: (sent: number, total: number) => void) => port.prepareFile(file, onProgress),
  };
  return Object.assign(api, extras) as unknown as StudioApi;
}
