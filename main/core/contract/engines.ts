import { z } from 'zod';
import { out, request } from './define';
import type { EnginesStatus, PackDto, PreprocessStatus } from './enginesTypes';

const packIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, { error: 'is not a pack id' });

export const enginesRequests = {
  /** Installed model packs and the execution providers this machine offers (with reasons for the others). */
  'engines.status': request(z.object({}).strict(), out<EnginesStatus>()),
  /** Imports a pack folder (app window and CLI only: a browser page cannot name folders on this machine). */
  'engines.importPack': request(z.object({ path: z.string().min(1, { error: 'must not be empty' }).max(4096) }).strict(), out<PackDto>()),
  'engines.removePack': request(z.object({ id: packIdSchema }).strict(), out<{ removed: true }>()),
  /** The official preprocess pack (Animate previews): installed or not, and which models make previews. */
  'engines.preprocessStatus': request(z.object({}).strict(), out<PreprocessStatus>()),
  /** Installs the process_checkpoint folder (app window and CLI only, like importPack); checked before copying. */
  'engines.installPreprocess': request(z.object({ path: z.string().min(1, { error: 'must not be empty' }).max(4096) }).strict(), out<PreprocessStatus>()),
  'engines.removePreprocess': request(z.object({}).strict(), out<PreprocessStatus>()),
} as const;

export const enginesEvents = {} as const;
