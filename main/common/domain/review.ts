import { z } from 'zod';

/** Why a returning contact waits for a person's decision instead of joining the list. */
export const reviewCauses = ['deleted', 'removed-from-list'] as const;
export const reviewCauseSchema = z.enum(reviewCauses);
export type ReviewCause = z.infer<typeof reviewCauseSchema>;

export const reviewStatuses = ['pending', 'approved', 'rejected'] as const;
export const reviewStatusSchema = z.enum(reviewStatuses);
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

/** One entry of the review queue, and the decision taken on it (kept as a record). */
export const reviewItemSchema = z.object({
  id: z.number().int(),
  syncId: z.string(),
  syncName: z.string(),
  listId: z.string(),
  listName: z.string(),
  contactId: z.number().int(),
  email: z.string(),
  sourceContactId: z.string().nullable(),
  sourceName: z.string().nullable(),
  cause: reviewCauseSchema,
  /** When the contact left the list (deleted, or removed by the user), if known. */
  leftAt: z.string().nullable(),
  runId: z.number().int(),
  heldAt: z.string(),
  status: reviewStatusSchema,
  decidedAt: z.string().nullable(),
  /** Who decided: "app" or "cli". */
  decidedBy: z.string().nullable(),
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;
