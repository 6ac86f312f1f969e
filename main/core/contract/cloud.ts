import { z } from 'zod';
import { out, request } from './define';
import { appSchema } from './schemas';
import type { CloudCheck, CloudSchemaDiff, CloudStatus } from './cloudTypes';

/** inference.sh keys look like inf_…; anything with spaces or control characters is a paste error. */
const apiKeySchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(8, { error: 'looks too short for an inference.sh API key (they start with inf_)' })
  .max(512, { error: 'is too long for an API key' })
  .regex(/^[\x21-\x7e]+$/, { error: 'must not contain spaces or line breaks; paste the key alone' });

export const cloudRequests = {
  /** Where the key comes from and which service is used. The key itself never leaves the main process. */
  'cloud.status': request(z.object({}).strict(), out<CloudStatus>()),
  'cloud.setKey': request(z.object({ key: apiKeySchema }).strict(), out<CloudStatus>()),
  'cloud.clearKey': request(z.object({}).strict(), out<CloudStatus>()),
  /** Calls the service with the key: reachable? key accepted? */
  'cloud.check': request(z.object({}).strict(), out<CloudCheck>()),
  /** The live app schema compared with the studio's parameter model. */
  'cloud.schemaDiff': request(z.object({ app: appSchema }).strict(), out<CloudSchemaDiff>()),
} as const;

export const cloudEvents = {} as const;
