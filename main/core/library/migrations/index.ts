import { initial } from './001_initial';
import { projectStateAndJobStage } from './002_project_state_and_job_stage';
import type { Migration } from './types';

export const migrations: readonly Migration[] = [initial, projectStateAndJobStage];
export const LATEST_SCHEMA_VERSION = migrations.length;
export type { Migration };
