import { isChannel, requests, type Channel } from '../contract/index';
import { StudioError, type Envelope } from '../contract/errors';
import { describeIssues, MAX_INPUT_DEPTH, nestedDeeperThan } from '../contract/validation';
import type { Logger } from '../logger';
import type { HandlerMap, RequestContext } from './types';

/**
 * The one entry point both transports call. The renderer is untrusted: the channel name is
 * checked, the input is parsed with its zod schema, and only then does a handler run. Every
 * outcome becomes an envelope, so no stack trace or internal detail crosses to the page.
 */
export function createRouter(handlers: HandlerMap, log: Logger) {
  return async function dispatch(channel: string, rawInput: unknown, ctx: RequestContext): Promise<Envelope<unknown>> {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'invalid_input', message: `Unknown request "${String(channel).slice(0, 80)}".` } };
    }
    if (nestedDeeperThan(rawInput, MAX_INPUT_DEPTH)) {
      return { ok: false, error: { code: 'invalid_input', message: `${channel}: the input is nested more than ${MAX_INPUT_DEPTH} levels deep; no request needs that.` } };
    }
    const parsed = requests[channel].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid_input', message: `${channel}: ${describeIssues(parsed.error.issues)}` } };
    }
    try {
      const handler = handlers[channel] as (input: unknown, ctx: RequestContext) => unknown;
      const value = await handler(parsed.data, ctx);
      return { ok: true, value };
    } catch (e) {
      if (e instanceof StudioError) {
        log.info('request failed', { channel, code: e.code, message: e.message });
        return { ok: false, error: e.toPayload() };
      }
      const message = e instanceof Error ? e.message : String(e);
      log.error('request crashed', { channel, message, stack: e instanceof Error ? e.stack : undefined });
      return {
        ok: false,
        error: { code: 'internal', message: `Something went wrong while handling ${channel}: ${message}. The details are in the log.` },
      };
    }
  };
}

export type Dispatch = ReturnType<typeof createRouter>;
export type { Channel };
