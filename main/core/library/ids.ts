import { randomBytes } from 'node:crypto';

/** 16 URL-safe characters (96 random bits): safe in file names, URLs and the contract's id schema. */
export const newId = (): string => randomBytes(12).toString('base64url');
