import { initial } from './001_initial';
import { projectStateAndJobStage } from './002_project_state_and_job_stage';
import { assetPreviews } from './003_asset_previews';
import { jobInputs } from './004_job_inputs';
import { jobSubmissionAndFailure } from './005_job_submission_and_failure';
import { renderQueue } from './006_render_queue';
import { localFailure } from './007_local_failure';
import { queueViewOrder } from './008_queue_view_order';
import type { Migration } from './types';

export const migrations: readonly Migration[] = [initial, projectStateAndJobStage, assetPreviews, jobInputs, jobSubmissionAndFailure, renderQueue, localFailure, queueViewOrder];
export const LATEST_SCHEMA_VERSION = migrations.length;
export type { Migration };
