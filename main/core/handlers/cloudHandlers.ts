import { cloudFailure } from '../engines/cloud/cloudErrors';
import { fetchSchemaDiff } from '../engines/cloud/schemaDiff';
import type { HandlersFor, StudioServices } from './types';

export function cloudHandlers({ cloud, cloudEngine }: StudioServices): HandlersFor<'cloud'> {
  return {
    'cloud.status': () => cloud.status(),
    'cloud.setKey': ({ key }) => cloud.setKey(key),
    'cloud.clearKey': () => cloud.clearKey(),
    'cloud.check': () => cloud.check(),
    'cloud.schemaDiff': async ({ app }) => {
      const http = await cloudEngine.client();
      return fetchSchemaDiff(http, app).catch((e: unknown) => {
        throw cloudFailure(e, 'Reading the live app schema');
      });
    },
  };
}
