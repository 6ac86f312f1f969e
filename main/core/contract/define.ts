import type { z } from 'zod';

/**
 * A phantom marker carrying an output type. Outputs are produced by our own main process, so
 * they are typed rather than parsed; inputs come from an untrusted renderer and are parsed.
 */
export interface Out<T> {
  readonly __out?: T;
}
export const out = <T>(): Out<T> => ({});

export interface RequestDef<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly output: Out<O>;
}

export const request = <I extends z.ZodType, O>(input: I, output: Out<O>): RequestDef<I, O> => ({
  input,
  output,
});

export interface EventDef<P = unknown> {
  readonly payload: Out<P>;
}
export const event = <P>(): EventDef<P> => ({ payload: out<P>() });

export type OutputOfDef<D> = D extends RequestDef<z.ZodType, infer O> ? O : never;
export type InputOfDef<D> = D extends RequestDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOfDef<D> = D extends RequestDef<infer I, unknown> ? z.output<I> : never;
export type PayloadOfDef<D> = D extends EventDef<infer P> ? P : never;
