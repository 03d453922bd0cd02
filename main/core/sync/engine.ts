import { emptyCounts, type RunCounts } from '../../common/domain/outcome';
import { parseSourceTime } from '../../common/domain/criteria';
import type { RunProgress, RunStatus, RunTrigger } from '../../common/domain/run';
import type { Account } from '../../common/domain/account';
import type { Clock, Logger, SecretStore } from '../ports';
import type { AddressIndexDeferral, ContactRow, LearnedOnLookup, OutcomeWrite, Store, SyncRecord } from '../store';
import { addressesSeen, classifyPage, type CandidateRecord, type Decision } from './classify';
import type { ContactSource, SourcePage } from './contactSource';
import { DeletionWriter } from './deletions';
import { PageWriter } from './pageWriter';
import { planRead, defaultReadPolicy, type ReadPlan, type ReadPolicy } from './readPlan';
import { RoleAddressMatcher } from './roleAddresses';
import { RunScratch } from './scratch';
import { ExitWriter, isInactiveInZoho, skipsInactive, unselected, type ExitCandidate } from './exits';
import { RecordSelector } from './selection';
import { mappedValues, fieldReader, sourceName, type SourceContact } from './sourceRecord';
import { RunFailure, autoPauseReason, isOrganizationGone, organizationGoneReason, streakStep, toRunFailure } from './failures';
import { BudgetMeter, budgetStatus, budgetStopMessage } from '../schedule/budget';

export interface RunOptions {
  trigger: RunTrigger;
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}

export interface RunResult {
  /** null for a dry run: it writes nothing, not even a run row. */
  runId: number | null;
  syncId: string;
  status: Exclude<RunStatus, 'running'>;
  counts: RunCounts;
  fullRead: boolean;
  error: { kind: string; message: string } | null;
  /** Dry run only: up to `sampleSize` outcomes per kind, for the preview. */
  sample?: OutcomeWrite[];
}

export interface EngineEvents {
  runStarted?(syncId: string, runId: number): void;
  runFinished?(result: RunResult): void;
  /** Syncs were deactivated (a rejected key, an organization gone): the UI and notifier show why. */
  syncsDeactivated?(accountId: string, syncIds: string[], reason: string): void;
  /** A sync paused itself after too many failed scheduled runs in a row (said once). */
  syncPaused?(syncId: string, reason: string): void;
  /** A run stopped because today's API budget ran out: the sync waits for the next day. */
  budgetExhausted?(syncId: string): void;
}

/** What a run's client reports: each HTTP attempt (the API budget) and each retry of a transient failure. */
export interface SourceHooks {
  onRequest(): void;
  onRetry(): void;
}

export interface EngineDeps {
  store: Store;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  /** Builds the Zoho Invoice client for an account; the hooks count API calls and retries. */
  sourceFor(account: Account, key: string, hooks: SourceHooks): ContactSource | Promise<ContactSource>;
  /** Failed scheduled runs in a row after which a sync pauses itself (the setting; default 5). */
  pauseAfterFailures?(): number;
  events?: EngineEvents;
  readPolicy?: ReadPolicy;
  /** Most records written in one transaction (see SyncEngine.read). Default: batchRecordsFor the address book's size. */
  batchRecords?: number;
  /** Seen IDs and addresses a run keeps in memory per set before the rest go to disk (scratch.ts). */
  scratchMemoryEntries?: number;
}

export class SyncBusyError extends Error {
  constructor(readonly syncName: string) {
    super(`"${syncName}" is already running; wait for it to finish.`);
    this.name = 'SyncBusyError';
  }
}

const sampleSize = 50;
/**
 * Pages fetched ahead, so the source keeps sending while a batch is written (the requests stay one
 * after another and within the limiter).
 */
const prefetchPages = 10;
/** A batch is written at the latest after this many pages (a run with narrow criteria keeps few records a page). */
const batchPages = 50;

/**
 * Records written in one transaction, for an address book of about `contacts`. Each commit
 * rewrites every page of the address index its batch touched: once the index outgrows SQLite's
 * page cache, a batch of 2,000 new addresses touches ~2,000 pages, and larger batches commit them
 * less often (measured on 1M contacts, bench/: the import 1.34× the floor in batches of 2,000,
 * 1.06–1.11× in batches of 10,000). A smaller address book keeps small batches, because a batch's
 * decisions and its transaction run in one go on the app's main thread (longest stall of a 100k
 * import: 140 ms in batches of 2,000, 340 ms in batches of 10,000). A run that defers the address
 * index (store/contacts.ts, deferAddressIndex) has no index pages to share: it asks for a book of 0.
 */
export function batchRecordsFor(contacts: number): number {
  return Math.min(10_000, Math.max(2000, Math.round(contacts / 100)));
}

/** How long a batch waits for the next page before it is written anyway. */
const batchWaitMs = 50;

/** Whether a promise settles within `ms` (true as soon as it does; false at the deadline). */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(done, done);
  });
}

/** Runs syncs by the rules in sync-rules.md: read → criteria → classify → apply, one page at a time. */
export class SyncEngine {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly deps: EngineDeps) {}

  isRunning(syncId: string): boolean {
    return this.running.has(syncId);
  }

  /** Asks a running sync to stop; it ends as failed ("cancelled") with what it wrote kept consistent. */
  cancel(syncId: string): boolean {
    const controller = this.running.get(syncId);
    controller?.abort();
    return controller !== undefined;
  }

  /** A dry run of a stored sync or of a draft from the wizard: outcomes and counts, nothing written. */
  async preview(sync: SyncRecord, signal?: AbortSignal): Promise<RunResult> {
    return this.execute(sync, { trigger: 'manual', dryRun: true }, signal ?? new AbortController().signal);
  }

  async run(syncId: string, options: RunOptions): Promise<RunResult> {
    const { store } = this.deps;
    const sync = store.syncs.get(syncId);
    if (!sync) throw new Error(`No sync with id ${syncId}`);
    if (this.running.has(syncId)) throw new SyncBusyError(sync.name);
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onOuterAbort);
    this.running.set(syncId, controller);
    let result: RunResult;
    try {
      result = await this.execute(sync, options, controller.signal);
    } finally {
      this.running.delete(syncId);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
    // Announced only once the sync is no longer running, so a listener that re-reads it sees it idle.
    if (result.runId !== null) this.deps.events?.runFinished?.(result);
    return result;
  }

  private async execute(sync: SyncRecord, options: RunOptions, signal: AbortSignal): Promise<RunResult> {
    const { store, clock, logger } = this.deps;
    const dryRun = options.dryRun === true;
    const startedAt = clock.now();
    const plan = planRead(sync, startedAt, this.deps.readPolicy ?? defaultReadPolicy);
    const fullRead = plan.mode === 'full';
    const runId = dryRun
      ? null
      : store.runs.create(sync.id, options.trigger, fullRead, plan.mode === 'changed' ? plan.since.toISOString() : null, startedAt.toISOString());
    if (runId !== null) this.deps.events?.runStarted?.(sync.id, runId);
    logger.log('info', 'run.start', { syncId: sync.id, runId, trigger: options.trigger, dryRun, mode: plan.mode });

    const state = new RunState(store, sync, runId, dryRun, this.deps.scratchMemoryEntries, options.onProgress);
    // The run stops on a cancel, or when today's API budget runs out (see RunState.countRequest).
    const onCancel = () => state.stop.abort();
    signal.addEventListener('abort', onCancel, { once: true });
    if (signal.aborted) state.stop.abort();
    const runSignal = state.stop.signal;
    let result: RunResult;
    try {
      await this.read(sync, plan, state, runSignal);
      // Only contacts mapped before the run can be missing from it: a first import has none.
      if (fullRead && state.hadSources) {
        await state.confirmUnseen(runSignal);
        state.checkDeletions(clock.now().toISOString());
      }
      state.finishPhase();
      if (runId !== null) {
        store.transaction(() => {
          state.saveTotals();
          store.runs.finish(runId, 'succeeded', clock.now().toISOString());
          store.syncs.advanceCursor(sync.id, startedAt.toISOString(), fullRead);
        });
      }
      result = { runId, syncId: sync.id, status: 'succeeded', counts: state.counts, fullRead, error: null };
    } catch (error) {
      const failure = this.failureOf(error, sync, state, signal);
      if (runId !== null) {
        state.saveTotals();
        store.runs.finish(runId, 'failed', clock.now().toISOString(), failure);
      }
      if (failure.kind === 'auth' && !dryRun) this.deactivateAccount(sync, failure);
      if (failure.kind === 'organization' && !dryRun) this.deactivateSync(sync, failure.message);
      logger.log('warn', 'run.failed', { syncId: sync.id, runId, kind: failure.kind, message: failure.message });
      result = { runId, syncId: sync.id, status: 'failed', counts: state.counts, fullRead, error: failure };
    } finally {
      signal.removeEventListener('abort', onCancel);
      state.dispose();
    }
    if (dryRun) result.sample = state.sample;
    logger.log('info', 'run.end', { syncId: sync.id, runId, status: result.status, counts: result.counts });
    if (runId !== null) this.applyFailurePolicy(sync, options.trigger, result);
    return result;
  }

  /** What stopped a run: the budget running out, the organization gone, or the error as thrown. */
  private failureOf(error: unknown, sync: SyncRecord, state: RunState, signal: AbortSignal): { kind: string; message: string } {
    if (!signal.aborted && state.budgetFailure) return { kind: state.budgetFailure.kind, message: state.budgetFailure.message };
    if (!signal.aborted && isOrganizationGone(error)) {
      return { kind: 'organization', message: organizationGoneReason(sync.organizationName, sync.organizationId, (error as Error).message) };
    }
    return toRunFailure(error, signal);
  }

  /**
   * After a run (failure policy): a failed scheduled run adds to the sync's streak, a succeeded
   * run clears it; at the setting's count the sync pauses itself, once. A run stopped by the
   * budget counts neither way: the sync waits for the next UTC day instead.
   */
  private applyFailurePolicy(sync: SyncRecord, trigger: RunTrigger, result: RunResult): void {
    const { store, clock, logger } = this.deps;
    if (result.error?.kind === 'budget') {
      // A run that used a whole day's cap by itself would stop at the cap every day and never
      // finish (each day's read starts over): it pauses with what to do instead of looping.
      const requests = result.runId === null ? 0 : (store.runs.get(result.runId)?.requests ?? 0);
      const { cap } = budgetStatus(store, sync, clock.now());
      const current = store.syncs.get(sync.id);
      if (requests >= cap && current && current.active && !current.paused) {
        const reason = `Paused: this sync needs more than the daily API cap of ${cap.toLocaleString('en-US')} requests for ` +
          `${sync.organizationName} (its last run made ${requests.toLocaleString('en-US')} and stopped). Raise the cap in Accounts ` +
          'if your Zoho plan allows more, then resume the sync.';
        store.syncs.setPaused(sync.id, true, reason, clock.now().toISOString());
        logger.log('warn', 'sync.paused-over-budget', { syncId: sync.id, requests, cap });
        this.deps.events?.syncPaused?.(sync.id, reason);
        return;
      }
      this.deps.events?.budgetExhausted?.(sync.id);
      return;
    }
    const step = streakStep(result.status, trigger, result.error?.kind ?? null);
    if (step === null) return;
    const streak = store.syncs.recordRunOutcome(sync.id, step);
    const limit = this.deps.pauseAfterFailures?.() ?? 5;
    if (!step || streak < limit) return;
    const now = store.syncs.get(sync.id);
    // A deactivated sync (key rejected, organization gone) already says why it stopped.
    if (!now || now.paused || !now.active) return;
    const reason = autoPauseReason(streak, result.error?.message ?? 'unknown');
    store.syncs.setPaused(sync.id, true, reason, clock.now().toISOString());
    logger.log('warn', 'sync.auto-paused', { syncId: sync.id, streak });
    this.deps.events?.syncPaused?.(sync.id, reason);
  }

  private async read(sync: SyncRecord, plan: ReadPlan, state: RunState, signal: AbortSignal): Promise<void> {
    const { store, secrets } = this.deps;
    const account = store.accounts.get(sync.accountId);
    if (!account) throw new RunFailure('config', 'The account of this sync no longer exists');
    let key: string | null;
    try {
      key = await secrets.get(account.id);
    } catch (error) {
      const message = (error as Error).message;
      throw new RunFailure('keychain', (error as Error).name === 'KeychainUnavailableError' ? message : `The OS keychain could not be read: ${message}`);
    }
    if (!key) {
      throw new RunFailure('keychain', `The ZSC key of "${account.name}" is missing from the OS keychain; enter it again in Settings.`);
    }
    // A day whose budget is already used up: no request at all (Zoho would answer 429).
    const budget = budgetStatus(store, sync, this.deps.clock.now());
    if (budget.exhausted) throw new RunFailure('budget', budgetStopMessage(budget, sync.organizationName, false));
    const meter = new BudgetMeter(store, sync);
    const source = await this.deps.sourceFor(account, key, {
      onRequest: () => state.countRequest(meter.count(this.deps.clock.now())),
      onRetry: () => state.countRetry(),
    });
    const selector = new RecordSelector(
      store.db, source, { accountId: account.id, organizationId: sync.organizationId }, sync.importOption, sync.mapping,
    );
    state.selector = selector;
    state.source = source;
    await selector.prepare(signal);

    // Reading stops with the run, or when the loop below leaves early (it may be waiting for the next page).
    const reading = new AbortController();
    const stopReading = () => reading.abort();
    signal.addEventListener('abort', stopReading, { once: true });
    const pages: AsyncIterable<SourcePage> =
      plan.mode === 'full'
        ? source.iterateContacts(sync.organizationId, { sortColumn: 'created_time', sortOrder: 'A', prefetch: prefetchPages }, reading.signal)
        : source.iterateChangedContacts(sync.organizationId, { since: plan.since, overlapMs: plan.overlapMs, prefetch: prefetchPages }, reading.signal);
    const iterator = pages[Symbol.asyncIterator]();
    const contactsBefore = store.contacts.sizeEstimate();
    state.deferAddressIndex();
    // Without its address index (store/contacts.ts, deferAddressIndex), a book gains nothing from large batches.
    const batchRecords = () =>
      Math.max(1, this.deps.batchRecords ?? batchRecordsFor(state.deferringAddressIndex ? 0 : contactsBefore + state.counts.new));
    // Pages are decided in order, then written in batches: a batch is written when the next page
    // is not here within `batchWaitMs` (so the writing overlaps the wait for it), or when it is
    // full. A source slower than that (Zoho's 100 requests a minute) gives each page its own
    // transaction, as before; a faster one fills batches of up to `batchRecords()` records, which
    // commit far fewer times (each commit rewrites the address index's pages the batch touched).
    // Classifying a batch at once gives the same outcomes as page by page (sync-rules: first
    // match wins, in the run's order), and each batch is one transaction with its counts.
    // Inactive Zoho contacts are not selected; a record read but not selected may be a criteria exit.
    const skipInactive = skipsInactive(sync.importOption);
    let next = iterator.next();
    let flushFailed = false;
    const flush = () => {
      try {
        state.flush(this.deps.clock.now().toISOString());
      } catch (error) {
        flushFailed = true;
        throw error;
      }
    };
    try {
      for (;;) {
        const step = await next;
        if (step.done) break;
        next = iterator.next();
        next.catch(() => undefined); // read (or dropped) below
        if (signal.aborted) throw new RunFailure('cancelled', 'The run was cancelled');
        const page = step.value;
        const fresh = state.firstSight(page.contacts);
        const eligible = fresh.filter((c) => plan.strictAfter === null || isAfter(c, plan.strictAfter));
        const selected = await selector.select(skipInactive ? eligible.filter((c) => !isInactiveInZoho(c)) : eligible, signal);
        state.queueExits(unselected(eligible, new Set(selected.map((r) => r.summary.contact_id)), skipInactive));
        const candidates: CandidateRecord[] = selected.map(({ summary, detail }) => {
          const values = mappedValues(sync.mapping, fieldReader(summary, detail));
          return { sourceId: summary.contact_id, sourceName: sourceName(summary), rawEmail: values.email ?? '', values };
        });
        state.queuePage(candidates);
        if (state.queuedRecords >= batchRecords() || state.queuedPages >= batchPages || !(await settlesWithin(next, batchWaitMs))) {
          flush();
        }
      }
      flush();
    } catch (error) {
      // A failure of the source (or a cancel) keeps the pages already decided, as when each page
      // was written on its own; the first error is the one reported.
      if (!flushFailed) {
        try {
          flush();
        } catch {
          // reported below
        }
      }
      throw error;
    } finally {
      signal.removeEventListener('abort', stopReading);
      reading.abort();
      await next.catch(() => undefined);
      try {
        await iterator.return?.();
      } catch {
        // The run's own outcome (or error) stands.
      }
      // After the last batch, before the run can be seen as finished: the address index it deferred.
      state.endAddressIndexDeferral();
    }
  }

  /** A setup error of this sync alone (its organization is gone): only it is deactivated. */
  private deactivateSync(sync: SyncRecord, reason: string): void {
    const { store, clock } = this.deps;
    store.syncs.setActive(sync.id, false, reason, clock.now().toISOString());
    this.deps.events?.syncsDeactivated?.(sync.accountId, [sync.id], reason);
  }

  private deactivateAccount(sync: SyncRecord, failure: { message: string }): void {
    const { store, clock } = this.deps;
    const reason = `Zoho Invoice rejected the ZSC key (${failure.message}). Update the key in Settings, then activate the syncs.`;
    const ids = store.syncs.deactivateAccount(sync.accountId, reason, clock.now().toISOString());
    if (ids.length > 0) this.deps.events?.syncsDeactivated?.(sync.accountId, ids, reason);
  }
}

function isAfter(contact: SourceContact, after: Date): boolean {
  const t = parseSourceTime(String(contact.last_modified_time ?? ''));
  return !Number.isNaN(t) && t > after.getTime();
}

/** A run's counters, scratch tables and writers; everything a page needs to be applied. */
class RunState {
  readonly counts: RunCounts = emptyCounts();
  readonly sample: OutcomeWrite[] = [];
  selector: RecordSelector | null = null;
  source: ContactSource | null = null;
  private readonly scratch: RunScratch;
  private readonly roles: RoleAddressMatcher;
  private readonly writer: PageWriter | null;
  /** The address index this run deferred: while it holds, the run knows every contact of the book (store/contacts.ts). */
  private addressIndex: AddressIndexDeferral | null = null;
  private queued: CandidateRecord[] = [];
  private queuedPageCount = 0;
  private readonly exits: ExitWriter;
  private queuedExits: ExitCandidate[] = [];
  /** Sampled outcomes per "outcome/reason" (dry run). */
  private readonly sampled = new Map<string, number>();
  private pages = 0;
  private requests = 0;
  private retries = 0;
  /** Aborted on a cancel or when the budget runs out: what the run's requests listen to. */
  readonly stop = new AbortController();
  /** Set when today's API budget ran out during the run. */
  budgetFailure: RunFailure | null = null;
  private recordsSeen = 0;
  /** confirmUnseen found every source of the sync seen: the deletion check need not read them all again. */
  private noneUnseen = false;
  private phase: RunProgress['phase'] = 'reading';
  /**
   * Whether the sync had Zoho contacts mapped when the run started (the ones this run maps it has
   * seen). A contact approved in review while the run reads is mapped after the start: the next
   * full read checks it.
   */
  readonly hadSources: boolean;

  constructor(
    private readonly store: Store,
    private readonly sync: SyncRecord,
    private readonly runId: number | null,
    private readonly dryRun: boolean,
    scratchMemoryEntries: number | undefined,
    private readonly onProgress?: (p: RunProgress) => void,
  ) {
    this.scratch = new RunScratch(store.db, scratchMemoryEntries);
    this.roles = new RoleAddressMatcher(store.settings.rolePolicy());
    this.writer = runId === null ? null : new PageWriter(store.db, sync, runId, store.review);
    this.exits = new ExitWriter(store.db, sync);
    this.hadSources = store.syncs.hasSources(sync.id);
  }

  /** One API request, and today's use of the organization after it: at the cap, the run stops. */
  countRequest(usage: { used: number; cap: number }): void {
    this.requests += 1;
    if (usage.used >= usage.cap && this.budgetFailure === null && !this.stop.signal.aborted) {
      this.budgetFailure = new RunFailure('budget', budgetStopMessage(usage, this.sync.organizationName, true));
      this.stop.abort();
    }
  }

  /** A transient failure (429, 5xx, network, timeout) the client retries. */
  countRetry(): void {
    this.retries += 1;
  }

  /** Saves the request and retry counts that came after the last batch (at the end of the run). */
  saveTotals(): void {
    this.save();
  }

  /** The page's contacts this run has not seen yet (a page can shift while Zoho's data changes). */
  firstSight(contacts: readonly SourceContact[]): SourceContact[] {
    this.recordsSeen += contacts.length;
    const fresh = this.scratch.markSeen(contacts.map((c) => c.contact_id));
    // delete(): a contact twice on one page counts once, at its first place.
    return contacts.filter((c) => fresh.delete(c.contact_id));
  }

  get queuedRecords(): number {
    return this.queued.length;
  }

  get queuedPages(): number {
    return this.queuedPageCount;
  }

  /** A page's records that met the criteria, in order; decided and written by the next flush(). */
  queuePage(candidates: readonly CandidateRecord[]): void {
    for (const c of candidates) this.queued.push(c);
    this.queuedPageCount += 1;
  }

  /** Records of a page that were read but not selected: exits if this sync brought them in. */
  queueExits(candidates: readonly ExitCandidate[]): void {
    for (const c of candidates) this.queuedExits.push(c);
  }

  /** Criteria exits, after the batch's decisions (a contact another record still carries stays). */
  private applyExits(exits: readonly ExitCandidate[], now: string): void {
    if (exits.length === 0) return;
    const dry = this.runId === null;
    const outcomes = dry ? this.exits.preview(exits) : this.exits.apply(exits, now);
    if (dry) for (const o of outcomes) this.keepSampleOutcome(o);
    else this.store.runs.insertOutcomes(this.runId!, outcomes);
    this.counts.exited += outcomes.length;
  }

  /** Decides and writes the queued pages: one transaction with their outcomes and the counts. */
  flush(now: string): void {
    if (this.queuedPageCount === 0) return;
    const candidates = this.queued;
    const pages = this.queuedPageCount;
    this.queued = [];
    const exits = this.queuedExits;
    this.queuedExits = [];
    this.queuedPageCount = 0;
    const emails: string[] = [];
    for (const c of candidates) {
      const email = c.rawEmail.trim();
      if (email !== '') emails.push(email.toLowerCase());
    }
    const mapped = new Map<string, number>();
    const members = new Map<number, string | null>();
    const decisions = classifyPage(candidates, {
      roles: this.roles,
      seenInEarlierPages: this.scratch.earlierAddresses(emails),
      lookupContacts: (list) => this.lookupContacts(candidates, list, { mapped, members: { listId: this.sync.listId, exitedAt: members } }),
      readdPolicy: this.sync.readdPolicy,
      lookupGuard: (ids) => this.store.review.guardFacts(this.sync.listId, ids, members),
    });
    // Before the transaction, not in it: moving the set to disk writes a generation of its TEMP
    // table, and inside a transaction SQLite would keep a copy of every page it touched until the commit.
    this.scratch.rememberAddresses(addressesSeen(decisions));
    this.store.transaction(() => {
      this.pages += pages;
      if (this.writer && this.runId !== null) {
        const outcomes = this.writer.apply(decisions, now, mapped);
        this.store.runs.insertOutcomes(this.runId, outcomes);
        this.selector?.flushCache();
      } else {
        for (const d of decisions) this.keepSample(d);
        this.selector?.discardCache();
      }
      this.applyExits(exits, now);
      for (const d of decisions) this.count(d);
      this.save();
    });
    this.emit();
  }

  /**
   * Confirms the deletion check's candidates with Zoho Invoice first. A deletion there while the
   * read runs moves every later contact one place up, so one of them slips between two pages
   * unseen: it must not be taken for deleted. Each candidate is looked up (only "no such contact"
   * confirms it), or, when there are more candidates than the read had pages, the listing is read
   * once more, whichever needs fewer requests. Contacts Zoho still has count as seen.
   */
  async confirmUnseen(signal: AbortSignal): Promise<void> {
    const source = this.source;
    if (!source) return;
    const orgId = this.sync.organizationId;
    const candidates = this.scratch.unseenSources(this.sync.id, this.pages + 1);
    if (candidates.length === 0) {
      this.noneUnseen = true;
      return;
    }
    this.phase = 'checking-deletions';
    this.emit();
    if (candidates.length <= this.pages) {
      const alive = await Promise.all(candidates.map(async ({ source_id: id }) => {
        try {
          await source.getContact(orgId, id, signal);
          return id;
        } catch (error) {
          if (isNoSuchContact(error)) return null;
          throw error;
        }
      }));
      this.scratch.markSeen(alive.filter((id): id is string => id !== null));
      return;
    }
    for await (const page of source.iterateContacts(orgId, { sortColumn: 'created_time', sortOrder: 'A' }, signal)) {
      this.scratch.markSeen(page.contacts.map((c) => c.contact_id));
    }
  }

  checkDeletions(now: string): void {
    this.phase = 'checking-deletions';
    this.emit();
    // Called right after confirmUnseen, with no await between: what it read still stands.
    if (this.noneUnseen) return;
    if (this.dryRun || this.runId === null) {
      const gone = this.scratch.unseenSources(this.sync.id, 1_000_000_000);
      const deleter = previewDeletions(this.store, this.sync, gone);
      this.counts.deleted += deleter.length;
      for (const o of deleter) this.keepSampleOutcome(o);
      return;
    }
    const deleter = new DeletionWriter(this.store.db, this.sync);
    // Chunks keep each transaction short; each query reads on from where the last one stopped.
    let after = '';
    for (;;) {
      const gone = this.scratch.unseenSources(this.sync.id, 500, after);
      if (gone.length === 0) break;
      after = gone[gone.length - 1]!.source_id;
      this.store.transaction(() => {
        const outcomes = deleter.apply(gone, now);
        this.store.runs.insertOutcomes(this.runId!, outcomes);
        this.counts.deleted += outcomes.length;
        this.save();
      });
    }
  }

  /** The book's contacts among a batch's addresses: while the run defers the index, among those the book began with; else through the sync's source map first. */
  private lookupContacts(candidates: readonly CandidateRecord[], emails: readonly string[], learn: LearnedOnLookup): Map<string, ContactRow> {
    if (this.addressIndex?.holds) return this.addressIndex.lookup(emails);
    if (!this.hadSources) return this.store.contacts.byEmails(emails);
    return this.store.contacts.byEmailsViaSources(this.sync.id, candidates.map((c) => c.sourceId), emails, learn);
  }

  /**
   * A sync's first import into an empty or small address book builds the address index at its end
   * (store/contacts.ts). A later run does not: it meets the contacts it mapped before, finds them
   * through its source map and adds few, so holding the whole book in memory would gain it nothing.
   */
  deferAddressIndex(): void {
    if (this.writer !== null && !this.hadSources) this.addressIndex = this.store.contacts.deferAddressIndex();
  }

  get deferringAddressIndex(): boolean {
    return this.addressIndex?.holds === true;
  }

  endAddressIndexDeferral(): void {
    this.addressIndex?.end();
  }

  finishPhase(): void {
    this.phase = 'finishing';
    this.emit();
  }

  dispose(): void {
    this.scratch.dispose();
  }

  private count(d: Decision): void {
    this.counts.total += 1;
    if (d.kind === 'ignored') {
      this.counts.ignored += 1;
      this.counts.ignored_by_reason[d.reason] += 1;
    } else {
      this.counts[d.kind] += 1;
    }
  }

  /** Dry run: keeps up to `sampleSize` outcomes of each kind (and reason) for the preview. */
  private keepSample(d: Decision): void {
    const key = `${d.kind}/${d.kind === 'ignored' ? d.reason : ''}`;
    const same = this.sampled.get(key) ?? 0;
    if (same >= sampleSize) return;
    this.sampled.set(key, same + 1);
    this.sample.push(previewOutcome(d));
  }

  private keepSampleOutcome(o: OutcomeWrite): void {
    const key = `${o.outcome}/${o.reason ?? ''}`;
    const same = this.sampled.get(key) ?? 0;
    if (same >= sampleSize) return;
    this.sampled.set(key, same + 1);
    this.sample.push(o);
  }

  private save(): void {
    if (this.runId !== null) this.store.runs.saveProgress(this.runId, this.counts, this.pages, this.requests, this.retries);
  }

  private emit(): void {
    this.onProgress?.({
      runId: this.runId ?? 0,
      syncId: this.sync.id,
      phase: this.phase,
      recordsSeen: this.recordsSeen,
      page: this.pages,
      pageCount: null,
      counts: structuredClone(this.counts),
    });
  }
}

/** Zoho's answer for a contact that does not exist: HTTP 404, or its code 1002 with another status. */
function isNoSuchContact(error: unknown): boolean {
  const e = error as { kind?: unknown; code?: unknown };
  return e?.kind === 'not-found' || e?.code === 1002;
}

function previewOutcome(d: Decision): OutcomeWrite {
  return {
    outcome: d.kind, reason: d.kind === 'ignored' ? d.reason : null, email: d.email, sourceId: d.record.sourceId,
    sourceName: d.record.sourceName, contactId: null, detail: d.detail, undo: null,
  };
}

/** What the deletion check would do, without doing it (dry run). */
function previewDeletions(store: Store, sync: SyncRecord, gone: Array<{ source_id: string; contact_id: number }>): OutcomeWrite[] {
  const member = store.db.prepare('SELECT sync_id FROM list_members WHERE list_id = ? AND contact_id = ?');
  const email = store.db.prepare('SELECT email FROM contacts WHERE id = ?').pluck();
  return gone.flatMap(({ source_id: sourceId, contact_id: contactId }) => {
    const m = member.get(sync.listId, contactId) as { sync_id: string | null } | undefined;
    if (!m || m.sync_id !== sync.id) return [];
    return [{
      outcome: 'deleted' as const, reason: null, email: email.get(contactId) as string, sourceId, sourceName: null,
      contactId, detail: 'No longer in Zoho Invoice', undo: null,
    }];
  });
}
