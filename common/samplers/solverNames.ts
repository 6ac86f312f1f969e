import { z } from 'zod';

/** The flow-matching samplers the local engine implements (research/wan22.md §3). */
export const solverNames = ['euler', 'dpm++', 'unipc'] as const;
export const solverNameSchema = z.enum(solverNames);
export type SolverName = z.output<typeof solverNameSchema>;
