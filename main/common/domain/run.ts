import { z } from 'zod';
import { runCountsSchema } from './outcome';

export const runTriggers = ['manual', 'tray', 'schedule', 'catch-up'] as const;
export const runTriggerSchema = z.enum(runTriggers);
export type RunTrigger = z.infer<typeof runTriggerSchema>;

// 'skipped': a scheduled run that found the sync already running (recorded, nothing read).
export const runStatuses = ['running', 'succeeded', 'failed', 'interrupted', 'skipped'] as const;
export const runStatusSchema = z.enum(runStatuses);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const runSchema = z.object({
  id: z.number().int(),
  syncId: z.string(),
  trigger: runTriggerSchema,
  status: runStatusSchema,
  /** Whether this run read the organization's whole contact set (and so could see deletions). */
  fullRead: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: runCountsSchema,
  pages: z.number().int(),
  requests: z.number().int(),
  error: z.string().nullable(),
  errorKind: z.string().nullable(),
  /** Transient failures (network, 5xx, 429) the run retried past. */
  retries: z.number().int(),
  /** An undo run: the run whose changes it reverted. */
  undoOf: z.number().int().nullable(),
  /** The undo run that reverted this run, if any. */
  undoneBy: z.number().int().nullable(),
});
export type Run = z.infer<typeof runSchema>;

/** Live progress of a running sync, pushed to the UI. */
export const runProgressSchema = z.object({
  runId: z.number().int(),
  syncId: z.string(),
  phase: z.enum(['reading', 'checking-deletions', 'finishing']),
  recordsSeen: z.number().int(),
  page: z.number().int(),
  /** Known only when the source says how many pages there are; Zoho does not. */
  pageCount: z.number().int().nullable(),
  counts: runCountsSchema,
});
export type RunProgress = z.infer<typeof runProgressSchema>;
