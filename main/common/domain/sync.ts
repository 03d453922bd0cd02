import { z } from 'zod';
import { importOptionSchema } from './criteria';
import { fieldMappingSchema, updatePolicySchema } from './mapping';
import { scheduleSchema } from './schedule';

/** First run: everything, or only contacts created or modified after a moment. */
export const retrievalStartSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('after'), after: z.string().datetime({ offset: true }) }).strict(),
]);
export type RetrievalStart = z.infer<typeof retrievalStartSchema>;

/** What can change after a sync is saved (everything but account, organization and import option). */
export const syncEditableSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    mapping: fieldMappingSchema,
    updatePolicy: updatePolicySchema,
    updateEmptyValues: z.boolean(),
    schedule: scheduleSchema,
    retrievalStart: retrievalStartSchema,
  })
  .strict();
export type SyncEditable = z.infer<typeof syncEditableSchema>;

export const newSyncSchema = syncEditableSchema.extend({
  accountId: z.string().min(1),
  organizationId: z.string().min(1),
  importOption: importOptionSchema,
  listId: z.string().min(1),
}).strict();
export type NewSync = z.infer<typeof newSyncSchema>;

export const syncSchema = z.object({
  id: z.string(),
  name: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  organizationId: z.string(),
  organizationName: z.string(),
  importOption: importOptionSchema,
  listId: z.string(),
  listName: z.string(),
  mapping: fieldMappingSchema,
  updatePolicy: updatePolicySchema,
  updateEmptyValues: z.boolean(),
  schedule: scheduleSchema,
  retrievalStart: retrievalStartSchema,
  active: z.boolean(),
  inactiveReason: z.string().nullable(),
  running: z.boolean(),
  nextRunAt: z.string().nullable(),
  lastRun: z
    .object({ id: z.number().int(), status: z.string(), startedAt: z.string(), finishedAt: z.string().nullable() })
    .nullable(),
  createdAt: z.string(),
});
export type Sync = z.infer<typeof syncSchema>;
