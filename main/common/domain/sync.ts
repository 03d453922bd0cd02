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

/** Zoho Campaigns' subscription type: marketing mail needs a lawful basis; non-marketing is transactional. */
export const subscriptionTypes = ['marketing', 'non-marketing'] as const;
export const subscriptionTypeSchema = z.enum(subscriptionTypes);
export type SubscriptionType = z.infer<typeof subscriptionTypeSchema>;

/** GDPR Art. 6 lawful bases, recorded with each contact the sync brings into its list. */
export const lawfulBases = ['consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests'] as const;
export const lawfulBasisSchema = z.enum(lawfulBases);
export type LawfulBasis = z.infer<typeof lawfulBasisSchema>;
export const lawfulBasisLabels: Record<LawfulBasis, string> = {
  consent: 'Consent',
  contract: 'Contract',
  'legal-obligation': 'Legal obligation',
  'vital-interests': 'Vital interests',
  'public-task': 'Public task',
  'legitimate-interests': 'Legitimate interests',
};

export const topicNameSchema = z.string().trim().min(1, 'Give the topic a name').max(60);

/** What a contact joining the list through this sync is subscribed as (kept with its membership). */
export const subscriptionSchema = z
  .object({
    type: subscriptionTypeSchema,
    topics: z.array(topicNameSchema).max(20).refine((t) => new Set(t.map((x) => x.toLowerCase())).size === t.length, {
      message: 'A topic is listed twice',
    }),
    lawfulBasis: lawfulBasisSchema.nullable(),
  })
  .strict();
export type Subscription = z.infer<typeof subscriptionSchema>;
export const defaultSubscription = (): Subscription => ({ type: 'marketing', topics: [], lawfulBasis: null });

/**
 * The re-subscription guard: a contact that left (deleted, or removed from the list by the user)
 * and comes back either joins at once, counted Re-added (the seed's behaviour), or waits in the
 * review queue, counted Held.
 */
export const readdPolicies = ['join', 'review'] as const;
export const readdPolicySchema = z.enum(readdPolicies);
export type ReaddPolicy = z.infer<typeof readdPolicySchema>;

/** A contact that stops matching the sync (criteria no longer met, or inactive in Zoho): counted Exited, and … */
export const exitPolicies = ['keep', 'remove', 'mark'] as const;
export const exitPolicySchema = z.enum(exitPolicies);
export type ExitPolicy = z.infer<typeof exitPolicySchema>;
export const exitPolicyLabels: Record<ExitPolicy, string> = {
  keep: 'Keep it in the list',
  remove: 'Remove it from the list',
  mark: 'Keep it, marked "no longer matches"',
};

/**
 * What can change after a sync is saved (everything but account, organization and import option).
 * An edit carries every field: a left-out policy must never fall back to a default silently.
 */
export const syncEditableSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    mapping: fieldMappingSchema,
    updatePolicy: updatePolicySchema,
    updateEmptyValues: z.boolean(),
    schedule: scheduleSchema,
    retrievalStart: retrievalStartSchema,
    subscription: subscriptionSchema,
    readdPolicy: readdPolicySchema,
    exitPolicy: exitPolicySchema,
  })
  .strict();
export type SyncEditable = z.infer<typeof syncEditableSchema>;

/** A new sync: the subscription and safety options may be left out (their defaults apply). */
export const newSyncSchema = syncEditableSchema.extend({
  accountId: z.string().min(1),
  organizationId: z.string().min(1),
  importOption: importOptionSchema,
  listId: z.string().min(1),
  subscription: subscriptionSchema.default(defaultSubscription),
  readdPolicy: readdPolicySchema.default('join'),
  exitPolicy: exitPolicySchema.default('keep'),
}).strict();
export type NewSync = z.infer<typeof newSyncSchema>;
export type NewSyncInput = z.input<typeof newSyncSchema>;

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
  subscription: subscriptionSchema,
  readdPolicy: readdPolicySchema,
  exitPolicy: exitPolicySchema,
  /** Deactivated: by the user, or because the account's key was rejected or changed. */
  active: z.boolean(),
  inactiveReason: z.string().nullable(),
  /** Paused (apart from deactivation): by the user, or by itself after repeated failed scheduled runs. */
  paused: z.boolean(),
  pausedReason: z.string().nullable(),
  /** Consecutive failed scheduled runs (reset by a success). */
  failureStreak: z.number().int(),
  /** Why a due run has not started yet (today's API budget), and until when. */
  waiting: z.object({ reason: z.string(), until: z.string() }).nullable(),
  /** Contacts of this sync waiting in the review queue. */
  pendingReview: z.number().int(),
  running: z.boolean(),
  nextRunAt: z.string().nullable(),
  lastRun: z
    .object({ id: z.number().int(), status: z.string(), startedAt: z.string(), finishedAt: z.string().nullable() })
    .nullable(),
  createdAt: z.string(),
});
export type Sync = z.infer<typeof syncSchema>;
