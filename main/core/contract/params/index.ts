import type { StudioApp } from '../types';
import { animateFields, animateParamsSchema, type AnimateParams } from './animateParams';
import type { FieldMeta } from './fieldMeta';
import { s2vFields, s2vParamsSchema, type S2vParams } from './s2vParams';

/** Stored with every job: bump when a parameter's meaning changes, and migrate old drafts. */
export const PARAMS_VERSION = 1;

export const paramsSchemas = { s2v: s2vParamsSchema, animate: animateParamsSchema } as const;
export const paramsFields: { s2v: Record<keyof S2vParams, FieldMeta>; animate: Record<keyof AnimateParams, FieldMeta> } = { s2v: s2vFields, animate: animateFields };

export type ParamsFor<A extends StudioApp> = A extends 's2v' ? S2vParams : AnimateParams;

/** The inference.sh app that renders each studio app. */
export const cloudAppNames: Record<StudioApp, string> = { s2v: 'infsh/wan-2-2-s2v', animate: 'infsh/wan-2-2-animate-v2v' };

export * from './s2vParams';
export * from './animateParams';
export type { FieldMeta } from './fieldMeta';
export { localOnlyFields } from './fieldMeta';
export * from './paramsIssues';
