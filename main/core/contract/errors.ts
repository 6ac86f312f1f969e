/**
 * Errors that cross the contract. Every message is written for a person: it names the thing,
 * what is wrong, and what to do. `code` is for code that needs to branch on the kind.
 */
export const studioErrorCodes = [
  'invalid_input',
  'not_found',
  'conflict',
  'unsupported_media',
  'io_error',
  'disk_full',
  'read_only',
  'newer_library',
  'forbidden',
  'unavailable',
  'cancelled',
  'internal',
] as const;
export type StudioErrorCode = (typeof studioErrorCodes)[number];

export interface StudioErrorPayload {
  code: StudioErrorCode;
  message: string;
}

export class StudioError extends Error {
  readonly code: StudioErrorCode;
  constructor(code: StudioErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StudioError';
    this.code = code;
  }
  toPayload(): StudioErrorPayload {
    return { code: this.code, message: this.message };
  }
  static fromPayload(payload: StudioErrorPayload): StudioError {
    return new StudioError(payload.code, payload.message);
  }
}

export const isStudioError = (e: unknown): e is StudioError => e instanceof StudioError;

/** The envelope both transports carry, so a rejected call keeps its code and message intact. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: StudioErrorPayload };
