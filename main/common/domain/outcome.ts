import { z } from 'zod';

/**
 * What one fetched record became in one run (sync rules, "Outcomes and counts"), plus what the
 * safety rails add: held (a returning contact waiting in the review queue), exited (stopped
 * matching the sync) and reverted (what an undo run put back).
 */
export const outcomeKinds = ['new', 'readded', 'held', 'duplicate', 'ignored', 'deleted', 'exited', 'reverted'] as const;
export const outcomeKindSchema = z.enum(outcomeKinds);
export type OutcomeKind = z.infer<typeof outcomeKindSchema>;

/** Why an ignored record was ignored, in the rules' order of precedence. */
export const ignoreReasons = ['empty', 'invalid', 'file_duplicate', 'group', 'bounced', 'do_not_mail'] as const;
export const ignoreReasonSchema = z.enum(ignoreReasons);
export type IgnoreReason = z.infer<typeof ignoreReasonSchema>;

export const ignoreReasonLabels: Record<IgnoreReason, string> = {
  empty: 'Empty email',
  invalid: 'Invalid pattern',
  file_duplicate: 'File duplicate',
  group: 'Group email',
  bounced: 'Bounced',
  do_not_mail: 'Do-Not-Mail',
};

export const outcomeLabels: Record<OutcomeKind, string> = {
  new: 'New',
  readded: 'Re-added',
  held: 'Held back',
  duplicate: 'Duplicate',
  ignored: 'Ignored',
  deleted: 'Deleted',
  exited: 'Exited',
  reverted: 'Reverted',
};

export const ignoredCountsSchema = z.object({
  bounced: z.number().int(),
  do_not_mail: z.number().int(),
  group: z.number().int(),
  file_duplicate: z.number().int(),
  invalid: z.number().int(),
  empty: z.number().int(),
});

/**
 * A run's counts. total = new + readded + held + duplicate + ignored (the records that met the
 * criteria); deleted, exited and reverted are counted apart.
 */
export const runCountsSchema = z.object({
  total: z.number().int(),
  new: z.number().int(),
  readded: z.number().int(),
  held: z.number().int(),
  duplicate: z.number().int(),
  ignored: z.number().int(),
  deleted: z.number().int(),
  exited: z.number().int(),
  reverted: z.number().int(),
  ignored_by_reason: ignoredCountsSchema,
});
export type RunCounts = z.infer<typeof runCountsSchema>;

export function emptyCounts(): RunCounts {
  return {
    total: 0, new: 0, readded: 0, held: 0, duplicate: 0, ignored: 0, deleted: 0, exited: 0, reverted: 0,
    ignored_by_reason: { bounced: 0, do_not_mail: 0, group: 0, file_duplicate: 0, invalid: 0, empty: 0 },
  };
}

/** One outcome as history shows it, down to the contact. */
export const outcomeRecordSchema = z.object({
  id: z.number().int(),
  outcome: outcomeKindSchema,
  reason: ignoreReasonSchema.nullable(),
  email: z.string().nullable(),
  sourceContactId: z.string().nullable(),
  sourceName: z.string().nullable(),
  /** Human detail: the defect of an invalid address, the role rule that matched, a case merge. */
  detail: z.string().nullable(),
});
export type OutcomeRecord = z.infer<typeof outcomeRecordSchema>;
