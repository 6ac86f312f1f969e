import pkg from '../../package.json' with { type: 'json' };

export const APP_NAME = 'Wan Studio';
export const APP_VERSION: string = pkg.version;
