import { z } from 'zod';
import {
  accountEndpointSchema, accountNameSchema, accountSchema, apiBudgetInputSchema, zscKeySchema,
} from './domain/account';
import { contactStateSchema } from './domain/contact';
import { listMemberSchema, listNameSchema, mailingListSchema } from './domain/mailingList';
import { contactFieldSchema, fieldKeySchema } from './domain/mapping';
import { ignoreReasonSchema, outcomeKindSchema, outcomeRecordSchema, runCountsSchema } from './domain/outcome';
import { runProgressSchema, runSchema, runStatusSchema } from './domain/run';
import { scheduleSchema } from './domain/schedule';
import { appSettingsSchema } from './domain/settings';
import { sourceFieldSchema } from './domain/sourceFields';
import { reviewItemSchema, reviewStatusSchema } from './domain/review';
import { newSyncSchema, syncEditableSchema, syncSchema, topicNameSchema } from './domain/sync';

/**
 * The one IPC contract between the UI and the core: every channel's request and reply as zod
 * schemas, and the events the core pushes. Electron main and the browser host validate every
 * request against it; the preload and the browser bridge expose exactly these channels.
 * Secrets go in (accounts.add, accounts.changeKey) and never come back: replies carry only the
 * key's last four characters.
 */

const id = z.string().min(1).max(64);
const empty = z.object({}).strict();
const paging = { offset: z.number().int().min(0).max(100_000_000).default(0), limit: z.number().int().min(1).max(1000).default(50) };

export const organizationSchema = z.object({ id: z.string(), name: z.string(), isDefault: z.boolean() });
export type Organization = z.infer<typeof organizationSchema>;

export const schedulePreviewSchema = z.array(
  z.object({
    at: z.string(),
    local: z.string(),
    dst: z.object({ kind: z.enum(['shifted', 'repeated']), note: z.string() }).optional(),
  }),
);
export type SchedulePreview = z.infer<typeof schedulePreviewSchema>;

export const dryRunResultSchema = z.object({
  counts: runCountsSchema,
  fullRead: z.boolean(),
  sample: z.array(outcomeRecordSchema),
  error: z.object({ kind: z.string(), message: z.string() }).nullable(),
});
export type DryRunResult = z.infer<typeof dryRunResultSchema>;

export const csvFileSchema = z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() });

export const appInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  keychain: z.object({ ok: z.boolean(), message: z.string().nullable() }),
  demo: z.object({ available: z.boolean(), apiRoot: z.string().nullable() }),
  runtime: z.enum(['electron', 'browser-host', 'test']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const suppressionResultSchema = z.object({
  marked: z.number().int(),
  created: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), value: z.string(), reason: z.string() })),
});

/** The role-address rules: the built-in prefixes, the user's additions and approved exceptions. */
export const rolePolicySchema = z.object({
  builtin: z.array(z.string()),
  extraPrefixes: z.array(z.string()),
  exceptions: z.array(z.string()),
});
export type RolePolicyView = z.infer<typeof rolePolicySchema>;
const rolePrefixSchema = z.string().trim().toLowerCase().min(1).max(64).regex(/^[a-z0-9][a-z0-9._+-]*$/, 'A prefix is the part before @, e.g. "billing"');

/** Whether a run can be undone now, and what undoing it would change. */
export const undoCheckSchema = z.object({
  undoable: z.boolean(),
  /** Why not, in words (a later run changed the same contacts, already undone, …). */
  reason: z.string().nullable(),
  /** Contacts whose list membership, state or fields the undo would restore. */
  contacts: z.number().int(),
});
export type UndoCheck = z.infer<typeof undoCheckSchema>;

const reviewDecisionSchema = z.enum(['approve', 'reject']);

export const channels = {
  'app.info': { request: empty, reply: appInfoSchema },
  /** "Copy diagnostics": a plain-text report for a support request (never a key). */
  'app.diagnostics': { request: empty, reply: z.object({ text: z.string() }) },

  'accounts.list': { request: empty, reply: z.array(accountSchema) },
  'accounts.add': {
    request: z.object({ name: accountNameSchema, endpoint: accountEndpointSchema, key: zscKeySchema }).strict(),
    reply: accountSchema,
  },
  'accounts.connectDemo': { request: empty, reply: accountSchema },
  'accounts.changeKey': {
    request: z.object({ accountId: id, key: zscKeySchema }).strict(),
    reply: z.object({ account: accountSchema, deactivatedSyncIds: z.array(z.string()) }),
  },
  'accounts.remove': { request: z.object({ accountId: id }).strict(), reply: empty },
  'accounts.organizations': { request: z.object({ accountId: id }).strict(), reply: z.array(organizationSchema) },
  /** Sets the account's Zoho plan (and so its daily API cap), or a custom cap. */
  'accounts.setBudget': { request: z.object({ accountId: id, budget: apiBudgetInputSchema }).strict(), reply: accountSchema },
  'accounts.sourceFields': {
    request: z.object({ accountId: id, organizationId: id }).strict(),
    reply: z.object({ fields: z.array(sourceFieldSchema), changeDateField: z.string().nullable() }),
  },

  'lists.list': { request: empty, reply: z.array(mailingListSchema) },
  'lists.create': { request: z.object({ name: listNameSchema }).strict(), reply: mailingListSchema },
  'lists.members': {
    request: z.object({ listId: id, search: z.string().max(200).optional(), ...paging }).strict(),
    reply: z.object({ total: z.number().int(), members: z.array(listMemberSchema) }),
  },
  'lists.exportCsv': { request: z.object({ listId: id }).strict(), reply: csvFileSchema },
  /** Takes contacts out of a list by hand; the re-subscription guard remembers it. */
  'lists.removeMembers': {
    request: z.object({ listId: id, contactIds: z.array(z.number().int().min(1)).min(1).max(10_000) }).strict(),
    reply: z.object({ removed: z.number().int() }),
  },

  /** The managed list of topics a sync can subscribe its contacts to. */
  'topics.list': { request: empty, reply: z.array(z.string()) },
  'topics.create': { request: z.object({ name: topicNameSchema }).strict(), reply: z.array(z.string()) },
  /** Refused while a sync uses the topic. */
  'topics.delete': { request: z.object({ name: topicNameSchema }).strict(), reply: z.array(z.string()) },

  'roles.get': { request: empty, reply: rolePolicySchema },
  'roles.addPrefix': { request: z.object({ prefix: rolePrefixSchema }).strict(), reply: rolePolicySchema },
  'roles.removePrefix': { request: z.object({ prefix: rolePrefixSchema }).strict(), reply: rolePolicySchema },
  /** Approves one address that a role prefix would otherwise ignore as a group email. */
  'roles.addException': { request: z.object({ email: z.string().trim().toLowerCase().min(3).max(320) }).strict(), reply: rolePolicySchema },
  'roles.removeException': { request: z.object({ email: z.string().trim().toLowerCase().min(3).max(320) }).strict(), reply: rolePolicySchema },

  /** The review queue of the re-subscription guard: pending entries, or the decisions taken. */
  'review.list': {
    request: z.object({ syncId: id.optional(), status: reviewStatusSchema.optional(), ...paging }).strict(),
    reply: z.object({ total: z.number().int(), pending: z.number().int(), items: z.array(reviewItemSchema) }),
  },
  /** Approves (the contact joins the list) or rejects (it stays out) entries one by one or all pending at once. */
  'review.decide': {
    request: z.union([
      z.object({ decision: reviewDecisionSchema, ids: z.array(z.number().int().min(1)).min(1).max(10_000) }).strict(),
      z.object({ decision: reviewDecisionSchema, allPending: z.literal(true), syncId: id.optional() }).strict(),
    ]),
    reply: z.object({ approved: z.number().int(), rejected: z.number().int(), skipped: z.number().int() }),
  },

  'contacts.mark': {
    request: z.object({ email: z.string().min(1).max(320), state: contactStateSchema.exclude(['deleted']) }).strict(),
    reply: z.object({ email: z.string(), created: z.boolean(), previous: contactStateSchema.nullable() }),
  },
  'contacts.importSuppression': {
    request: z.object({ csv: z.string().max(50_000_000), as: z.enum(['bounced', 'do-not-mail']) }).strict(),
    reply: suppressionResultSchema,
  },
  'contacts.fields': { request: empty, reply: z.array(contactFieldSchema) },
  'contacts.addField': {
    request: z.object({ key: fieldKeySchema, label: z.string().trim().min(1).max(100) }).strict(),
    reply: contactFieldSchema,
  },

  'syncs.list': { request: empty, reply: z.array(syncSchema) },
  'syncs.get': { request: z.object({ syncId: id }).strict(), reply: syncSchema },
  'syncs.create': {
    request: z.object({ sync: newSyncSchema, runNow: z.boolean().default(true) }).strict(),
    reply: syncSchema,
  },
  'syncs.update': { request: z.object({ syncId: id, edit: syncEditableSchema }).strict(), reply: syncSchema },
  'syncs.setActive': { request: z.object({ syncId: id, active: z.boolean() }).strict(), reply: syncSchema },
  /** Pause / Resume one sync (apart from deactivation); resuming also clears its failure streak. */
  'syncs.setPaused': { request: z.object({ syncId: id, paused: z.boolean() }).strict(), reply: syncSchema },
  'syncs.activateAll': { request: z.object({ accountId: id }).strict(), reply: z.array(syncSchema) },
  'syncs.delete': { request: z.object({ syncId: id }).strict(), reply: empty },
  'syncs.runNow': {
    request: z.object({ syncId: id, trigger: z.enum(['manual', 'tray']).default('manual') }).strict(),
    reply: z.object({ syncId: z.string(), started: z.literal(true) }),
  },
  'syncs.cancel': { request: z.object({ syncId: id }).strict(), reply: z.object({ cancelled: z.boolean() }) },
  'syncs.dryRun': {
    request: z.union([
      z.object({ syncId: id }).strict(),
      z.object({ draft: newSyncSchema }).strict(),
    ]),
    reply: dryRunResultSchema,
  },
  'syncs.previewSchedule': {
    request: z.object({ schedule: scheduleSchema, count: z.number().int().min(1).max(20).default(5) }).strict(),
    reply: schedulePreviewSchema,
  },

  'runs.history': {
    request: z.object({ syncId: id, ...paging }).strict(),
    reply: z.object({ total: z.number().int(), runs: z.array(runSchema) }),
  },
  'runs.get': { request: z.object({ runId: z.number().int().min(1) }).strict(), reply: runSchema },
  'runs.outcomes': {
    request: z
      .object({ runId: z.number().int().min(1), outcome: outcomeKindSchema.optional(), reason: ignoreReasonSchema.optional(), ...paging })
      .strict(),
    reply: z.object({ total: z.number().int(), outcomes: z.array(outcomeRecordSchema) }),
  },
  'runs.undoCheck': { request: z.object({ runId: z.number().int().min(1) }).strict(), reply: undoCheckSchema },
  /** Reverts what one run did to the list; refused (conflict) with the reason when it cannot. Replies the undo run. */
  'runs.undo': { request: z.object({ runId: z.number().int().min(1) }).strict(), reply: runSchema },
  'runs.exportCsv': {
    request: z.object({ runId: z.number().int().min(1), outcome: outcomeKindSchema.optional(), reason: ignoreReasonSchema.optional() }).strict(),
    reply: csvFileSchema,
  },

  // App-wide preferences. update takes the whole settings object (read with settings.get, change
  // what the user changed) and replies what was stored; settings.changed tells every window.
  'settings.get': { request: empty, reply: appSettingsSchema },
  'settings.update': { request: appSettingsSchema, reply: appSettingsSchema },
} as const;

export type Channel = keyof typeof channels;
export type Request<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ParsedRequest<C extends Channel> = z.output<(typeof channels)[C]['request']>;
export type Reply<C extends Channel> = z.output<(typeof channels)[C]['reply']>;

/** Events the core pushes to every window. */
export const events = {
  'run.started': z.object({ syncId: z.string(), runId: z.number().int() }),
  'run.progress': runProgressSchema,
  'run.finished': z.object({
    syncId: z.string(),
    runId: z.number().int(),
    status: runStatusSchema,
    counts: runCountsSchema,
    error: z.object({ kind: z.string(), message: z.string() }).nullable(),
  }),
  'syncs.changed': z.object({ syncIds: z.array(z.string()), reason: z.string().nullable() }),
  'settings.changed': appSettingsSchema,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** The typed error every channel answers with when it cannot do what was asked. */
export const errorCodes = [
  'invalid-request', 'not-found', 'conflict', 'busy', 'key-rejected', 'source-unreachable',
  'rate-limited', 'source-error', 'keychain', 'internal',
] as const;
export const contractErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAfterMs: z.number().optional(),
});
export type ContractErrorShape = z.infer<typeof contractErrorSchema>;

export class ContractError extends Error {
  readonly code: ContractErrorShape['code'];
  readonly issues: ContractErrorShape['issues'];
  readonly retryAfterMs: number | undefined;
  constructor(shape: ContractErrorShape) {
    super(shape.message);
    this.name = 'ContractError';
    this.code = shape.code;
    this.issues = shape.issues;
    this.retryAfterMs = shape.retryAfterMs;
  }
  toShape(): ContractErrorShape {
    return {
      code: this.code, message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** A reply on the wire: the value, or the typed error. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractErrorShape };

/** The API the renderer programs against, whatever carries it (Electron preload or browser host). */
export interface ListSyncApi {
  invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Reply<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export const channelNames = Object.keys(channels) as Channel[];
export const eventNames = Object.keys(events) as EventName[];
