import type { z } from 'zod';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import { ZohoApiError, errorFromReply, parseRetryAfter, redact } from './errors';
import { fastContactsPage } from './fastParse';
import { abortableSleep, cancelledError, limiterFor, limiterKey, type LimiterOptions } from './limiter';
import {
  contactReplySchema,
  contactsPageReplySchema,
  describeSchemaProblem,
  organizationsReplySchema,
  type ZohoContactDetail,
  type ZohoContactSummary,
  type ZohoOrganization,
} from './schemas';
import { parseZohoTime } from './time';
import { fetchTransport, nodeTransport, type HttpReply, type Transport } from './transport';

export interface RequestInfo {
  orgId?: string;
  /** API path below the root, e.g. "/contacts". */
  path: string;
  /** HTTP status of the reply; 0 when none came (network error, timeout, cancellation). */
  status: number;
}

/** A failed attempt about to be tried again (after `delayMs`). */
export interface RetryInfo {
  orgId?: string;
  path: string;
  kind: string;
  /** HTTP status of the failed attempt; absent when no reply came. */
  status?: number;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
}

export interface ZohoClientOptions {
  apiRoot: string;
  /** The ZSC key. Sent only in the Authorization header; never logged, never put in a message. */
  token: string;
  /** Per attempt, including reading the body. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, network errors and timeouts. Default 5. */
  maxRetries?: number;
  /** Backoff base: attempt n waits a random time up to baseDelayMs · 2^n ("full jitter"). Default 500. */
  baseDelayMs?: number;
  /** Cap of one backoff wait. Default 30 s. */
  maxDelayMs?: number;
  /**
   * Longest Retry-After honoured inside a run. Beyond it (e.g. a daily cap) the client gives up at
   * once with a rate-limit error instead of sleeping for hours. Default 120 s.
   */
  maxRetryAfterMs?: number;
  /** Per-organization limits; shared by every client of the same API root and organization. */
  limits?: LimiterOptions;
  /** Pages one listing may have before has_more_page is declared endless. Default 100 000. */
  maxPages?: number;
  /** Sends requests through this fetch instead of Node's http/https (see transport.ts). */
  fetchImpl?: typeof fetch;
  logger?: Logger;
  /** Called once per HTTP attempt, so the app can count its API budget. */
  onRequest?: (info: RequestInfo) => void;
  /** Called before each retry of a transient failure (429, 5xx, network, timeout), so a run can count them. */
  onRetry?: (info: RetryInfo) => void;
  clock?: Clock;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
}

export type SortOrder = 'A' | 'D';

export interface ContactsPageQuery {
  page: number;
  perPage?: number;
  sortColumn?: string;
  sortOrder?: SortOrder;
  /** Zoho's list parameters: contact_type, filter_by, search_text, email_contains, address_contains … */
  filters?: Record<string, string>;
}

export interface ContactsPage {
  page: number;
  contacts: ZohoContactSummary[];
  hasMorePage: boolean;
}

export interface IterateOptions {
  sortColumn?: string;
  sortOrder?: SortOrder;
  filters?: Record<string, string>;
  /** Pages requested ahead of the one the consumer is processing. Default 2; 0 turns pipelining off. */
  prefetch?: number;
  maxPages?: number;
}

export interface ChangedOptions {
  /** Contacts modified at or after `since − overlapMs` are read. */
  since: Date;
  /** Look-back so contacts stamped at the boundary are not missed. Default 5 minutes. */
  overlapMs?: number;
  prefetch?: number;
  maxPages?: number;
}

interface Call<S extends z.ZodType> {
  path: string;
  query?: Record<string, string | undefined>;
  orgId?: string;
  /** For messages: "page 3 of contacts", "contact 4600…", "the list of organizations". */
  what: string;
  schema: S;
  /** The schema's result computed faster, or undefined to let the schema decide (see fastParse.ts). */
  fastParse?: (json: unknown) => z.output<S> | undefined;
  /** Whether a failed attempt is still worth another (a page asked for ahead stops mattering when the listing ends). */
  retryWhile?: () => boolean;
  /** Told when an attempt leaves the limiter to be sent (true) and when it has ended (false). */
  onAttempt?: (inProgress: boolean) => void;
}

/** A page of a listing, requested and not yet consumed. */
interface PageRequest {
  reply: Promise<ContactsPage>;
  /** Whether an attempt is on its way: the server may have it (and count it) even if it is cut off now. */
  attempting(): boolean;
  /** Aborts this request alone (with the listing, or when it is no longer needed before it was sent). */
  withdraw: AbortController;
}

export const perPageMax = 200;
const defaultOverlapMs = 5 * 60_000;
/** Full pages in a row after which a listing asks for one page ahead of what is known to exist. */
const speculateAfterPages = 10;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((id) => set.has(id));
}

/**
 * The Zoho Invoice API client: organizations, contact pages and single contacts, with the
 * per-organization limiter, timeouts, retries with backoff, and validation of every reply.
 */
export class ZohoClient {
  readonly apiRoot: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly limits: LimiterOptions;
  private readonly maxPages: number;
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly onRequest: ((info: RequestInfo) => void) | undefined;
  private readonly onRetry: ((info: RetryInfo) => void) | undefined;
  private readonly clock: Clock;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(options: ZohoClientOptions) {
    this.apiRoot = options.apiRoot.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = Math.max(0, options.maxRetries ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.limits = options.limits ?? {};
    this.maxPages = options.maxPages ?? 100_000;
    this.transport = options.fetchImpl ? fetchTransport(options.fetchImpl) : nodeTransport;
    this.logger = options.logger ?? silentLogger;
    this.onRequest = options.onRequest;
    this.onRetry = options.onRetry;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
  }

  async listOrganizations(signal?: AbortSignal): Promise<ZohoOrganization[]> {
    const reply = await this.call(
      { path: '/organizations', what: 'the list of organizations', schema: organizationsReplySchema },
      signal,
    );
    return reply.organizations;
  }

  async listContactsPage(orgId: string, query: ContactsPageQuery, signal?: AbortSignal): Promise<ContactsPage> {
    return this.contactsPage(orgId, query, signal);
  }

  private async contactsPage(
    orgId: string, query: ContactsPageQuery, signal?: AbortSignal, hooks: Pick<Call<z.ZodType>, 'retryWhile' | 'onAttempt'> = {},
  ): Promise<ContactsPage> {
    const perPage = Math.min(perPageMax, Math.max(1, query.perPage ?? perPageMax));
    const reply = await this.call(
      {
        path: '/contacts',
        orgId,
        what: `page ${query.page} of contacts`,
        schema: contactsPageReplySchema,
        fastParse: fastContactsPage,
        ...hooks,
        query: {
          ...query.filters,
          page: String(query.page),
          per_page: String(perPage),
          sort_column: query.sortColumn,
          sort_order: query.sortOrder,
        },
      },
      signal,
    );
    return { page: query.page, contacts: reply.contacts, hasMorePage: reply.page_context.has_more_page };
  }

  async getContact(orgId: string, contactId: string, signal?: AbortSignal): Promise<ZohoContactDetail> {
    const reply = await this.call(
      { path: `/contacts/${encodeURIComponent(contactId)}`, orgId, what: `contact ${contactId}`, schema: contactReplySchema },
      signal,
    );
    return reply.contact;
  }

  /**
   * Every page of a listing, following has_more_page. Pipelined: while the consumer works on page
   * n, pages n+1 … n+prefetch are fetched, always through the organization's limiter. A page is
   * requested once the previous one said there is more; a long listing (`speculateAfterPages`
   * full pages in a row) also asks for the page after the one in flight, so two requests overlap
   * and the server's reply time is not waited out page by page: that costs at most one request
   * past the end of a listing of more than 2,000 contacts.
   */
  iterateContacts(orgId: string, options: IterateOptions = {}, signal?: AbortSignal): AsyncGenerator<ContactsPage> {
    return this.pages(orgId, options, signal, () => false, speculateAfterPages);
  }

  /**
   * Contacts modified since `since − overlap`, newest first: Zoho has no "modified since" filter,
   * so this sorts on last_modified_time descending and stops at the first older contact.
   */
  async *iterateChangedContacts(orgId: string, options: ChangedOptions, signal?: AbortSignal): AsyncGenerator<ContactsPage> {
    const cutoff = options.since.getTime() - (options.overlapMs ?? defaultOverlapMs);
    const isOlder = (c: ZohoContactSummary) => {
      const t = parseZohoTime(c.last_modified_time);
      return !Number.isNaN(t) && t < cutoff;
    };
    const pages = this.pages(
      orgId,
      { sortColumn: 'last_modified_time', sortOrder: 'D', prefetch: options.prefetch, maxPages: options.maxPages },
      signal,
      // A page that already reaches past the cursor is the last one needed: fetch nothing after it.
      (page) => page.contacts.some(isOlder),
      // A changed-contacts read is short and ends where the cursor is: nothing is asked for ahead of it.
      Infinity,
    );
    for await (const page of pages) {
      const stop = page.contacts.findIndex(isOlder);
      if (stop < 0) {
        yield page;
        continue;
      }
      if (stop > 0) yield { page: page.page, contacts: page.contacts.slice(0, stop), hasMorePage: false };
      return;
    }
  }

  private async *pages(
    orgId: string,
    options: IterateOptions,
    signal: AbortSignal | undefined,
    isLastNeeded: (page: ContactsPage) => boolean,
    speculateAfter: number,
  ): AsyncGenerator<ContactsPage> {
    const prefetch = Math.max(0, Math.floor(options.prefetch ?? 2));
    const maxPages = options.maxPages ?? this.maxPages;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    if (signal?.aborted) throw cancelledError();
    signal?.addEventListener('abort', onAbort, { once: true });

    /** Pages requested and not yet consumed: each can be withdrawn on its own while it waits for the limiter. */
    const fetched = new Map<number, PageRequest>();
    const moreAfter = new Map<number, boolean>();
    let requested = 0;
    let yielded = 0;
    /** Pages 1 … fullPages each came back full and said there is more. */
    let fullPages = 0;
    let handled: Promise<void> = Promise.resolve();
    let consumerWaiting = true;
    let ended = false;

    const pump = (): void => {
      while (!ended && !inner.signal.aborted) {
        const next = requested + 1;
        if (next > maxPages) return;
        const limit = yielded + (consumerWaiting ? Math.max(1, prefetch) : prefetch);
        if (next > limit) return;
        // Not yet known to exist: asked for only while a long listing's previous page is in flight.
        if (next > 1 && moreAfter.get(next - 1) !== true) {
          const speculative = moreAfter.get(next - 1) === undefined && fullPages >= Math.max(next - 2, speculateAfter);
          if (!speculative) return;
        }
        requested = next;
        // Replies are taken in page order (a page asked for ahead may come back first), so what a
        // listing asks for depends only on what its pages said, never on which reply came first.
        const before = handled;
        const withdraw = new AbortController();
        let attempting = false;
        const withdrawWithListing = () => withdraw.abort();
        inner.signal.addEventListener('abort', withdrawWithListing, { once: true });
        const promise = this.contactsPage(
          orgId,
          { page: next, sortColumn: options.sortColumn, sortOrder: options.sortOrder, filters: options.filters },
          withdraw.signal,
          { retryWhile: () => !ended, onAttempt: (inProgress) => { attempting = inProgress; } },
        ).then(
          async (page) => {
            await before;
            // An empty page that claims more is endless paging: fetch nothing after it.
            const more = page.hasMorePage && page.contacts.length > 0 && !isLastNeeded(page);
            moreAfter.set(next, more);
            if (more && page.contacts.length >= perPageMax && next === fullPages + 1) fullPages = next;
            if (!more) ended = true;
            pump();
            return page;
          },
          async (error: unknown) => {
            await before;
            ended = true;
            throw error;
          },
        );
        handled = promise.then(() => undefined, () => undefined);
        void handled.then(() => inner.signal.removeEventListener('abort', withdrawWithListing));
        promise.catch(() => undefined); // a page fetched ahead may fail after the consumer has left
        fetched.set(next, { reply: promise, attempting: () => attempting, withdraw });
      }
    };

    let complete = false;
    try {
      let previousIds: string[] | null = null;
      for (let pageNo = 1; ; pageNo += 1) {
        consumerWaiting = true;
        pump();
        const pending = fetched.get(pageNo);
        if (!pending) throw cancelledError();
        const page = await pending.reply;
        fetched.delete(pageNo);
        consumerWaiting = false;
        if (page.hasMorePage && page.contacts.length === 0) {
          throw new ZohoApiError({
            kind: 'malformed',
            message: `Zoho Invoice's has_more_page never ends: page ${pageNo} of contacts is empty yet says more pages follow; stopped so the run does not loop`,
          });
        }
        const ids = page.contacts.map((c) => c.contact_id);
        if (previousIds !== null && ids.length > 0 && sameIds(ids, previousIds)) {
          throw new ZohoApiError({
            kind: 'malformed',
            message: `Page ${pageNo} of contacts repeats page ${pageNo - 1} (the same ${ids.length} contacts again); stopped so the run does not loop`,
          });
        }
        previousIds = ids;
        yielded = pageNo;
        pump();
        yield page;
        if (!page.hasMorePage) {
          complete = true;
          return;
        }
        if (pageNo >= maxPages) {
          throw new ZohoApiError({
            kind: 'malformed',
            message: `Zoho Invoice's has_more_page never ends: stopped after ${maxPages} pages of contacts`,
          });
        }
        if (moreAfter.get(pageNo) === false) {
          complete = true; // the caller needs nothing past this page
          return;
        }
      }
    } finally {
      // A page asked for ahead whose attempt is on its way: the listing waits for its reply (up to
      // the request timeout; no retry follows) rather than cutting it off, so Zoho's count of
      // requests and the budget's agree. One waiting for the limiter or for a retry is withdrawn:
      // nothing more is sent for it.
      if (complete) {
        const ahead = [...fetched.values()];
        for (const r of ahead) if (!r.attempting()) r.withdraw.abort();
        await Promise.allSettled(ahead.map((r) => r.reply));
      }
      inner.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** One API call: limiter slot, attempt, and retries with backoff for the retryable kinds. */
  private async call<S extends z.ZodType>(call: Call<S>, signal?: AbortSignal): Promise<z.output<S>> {
    const limiter = limiterFor(limiterKey(this.apiRoot, call.orgId), this.limits);
    for (let attempt = 0; ; attempt += 1) {
      if (signal?.aborted) throw cancelledError();
      let error: ZohoApiError;
      try {
        return await limiter.run(async () => {
          // Withdrawn while the slot was being granted: nothing is sent.
          if (signal?.aborted) throw cancelledError();
          call.onAttempt?.(true);
          try {
            return await this.attempt(call, signal);
          } finally {
            call.onAttempt?.(false);
          }
        }, signal);
      } catch (caught) {
        error = this.asZohoError(caught, signal);
      }
      if (!error.retryable || (call.retryWhile && !call.retryWhile())) throw error;
      if (attempt >= this.maxRetries) {
        throw this.withMessage(error, `${error.message} (gave up after ${attempt + 1} attempts)`);
      }
      if (error.retryAfterMs !== undefined && error.retryAfterMs > this.maxRetryAfterMs) {
        throw this.withMessage(error, `${error.message}, longer than ListSync waits within a run; try again later`);
      }
      const delay = error.retryAfterMs ?? this.backoff(attempt);
      this.logger.log('warn', 'zoho.retry', { path: call.path, orgId: call.orgId, kind: error.kind, status: error.status, attempt: attempt + 1, delayMs: delay });
      this.onRetry?.({
        ...(call.orgId !== undefined ? { orgId: call.orgId } : {}), path: call.path, kind: error.kind,
        ...(error.status !== undefined ? { status: error.status } : {}), attempt: attempt + 1, delayMs: delay,
      });
      try {
        await this.sleep(delay, signal);
      } catch {
        throw cancelledError();
      }
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
    return Math.floor(this.random() * ceiling);
  }

  private withMessage(error: ZohoApiError, message: string): ZohoApiError {
    return new ZohoApiError({
      kind: error.kind,
      message,
      retryable: error.retryable,
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    });
  }

  private asZohoError(caught: unknown, signal?: AbortSignal): ZohoApiError {
    if (signal?.aborted) return cancelledError();
    if (caught instanceof ZohoApiError) {
      const clean = redact(caught.message, this.token);
      return clean === caught.message ? caught : this.withMessage(caught, clean);
    }
    const message = caught instanceof Error ? caught.message : String(caught);
    return new ZohoApiError({ kind: 'network', message: redact(`Could not reach Zoho Invoice: ${message}`, this.token) });
  }

  private async attempt<S extends z.ZodType>(call: Call<S>, signal?: AbortSignal): Promise<z.output<S>> {
    const url = new URL(this.apiRoot + call.path);
    if (call.orgId !== undefined) url.searchParams.set('organization_id', call.orgId);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(name, value);
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    let status = 0;
    try {
      let response: HttpReply;
      let body: string;
      try {
        response = await this.transport(url, { Authorization: `Zoho-oauthtoken ${this.token}`, Accept: 'application/json' }, controller.signal);
        status = response.status;
        body = utf8.decode(response.body);
      } catch (error) {
        if (signal?.aborted) throw cancelledError();
        if (timedOut) {
          throw new ZohoApiError({
            kind: 'timeout',
            message: `Zoho Invoice did not answer within ${Math.round(this.timeoutMs / 100) / 10} s (${call.what})`,
          });
        }
        throw new ZohoApiError({
          kind: 'network',
          message: `Could not reach Zoho Invoice at ${url.host} (${call.what}): ${networkReason(error)}`,
          cause: error,
        });
      }
      this.logger.log('debug', 'zoho.request', { path: call.path, orgId: call.orgId, status, ms: Date.now() - started });
      return this.interpret(call, response, body);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.onRequest?.({ ...(call.orgId !== undefined ? { orgId: call.orgId } : {}), path: call.path, status });
    }
  }

  private interpret<S extends z.ZodType>(call: Call<S>, response: HttpReply, body: string): z.output<S> {
    let json: unknown;
    let jsonError: string | null = null;
    try {
      json = JSON.parse(body);
    } catch (error) {
      jsonError = (error as Error).message;
    }
    const envelope = jsonError === null && json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : null;
    const code = envelope ? numericCode(envelope.code) : undefined;
    const message = envelope && typeof envelope.message === 'string' ? envelope.message : undefined;
    if (!response.ok || (code !== undefined && code !== 0)) {
      throw errorFromReply({
        what: call.what,
        status: response.status,
        ...(code !== undefined ? { code } : {}),
        ...(message !== undefined ? { message: redact(message, this.token) } : {}),
        ...(response.status === 429 || response.status === 503
          ? { retryAfterMs: parseRetryAfter(response.header('retry-after'), this.clock.now().getTime()) }
          : {}),
      });
    }
    if (jsonError !== null) {
      throw new ZohoApiError({
        kind: 'malformed',
        status: response.status,
        message: `${capitalize(call.what)} was malformed: the reply is not complete JSON (${body.length} characters; ${jsonError})`,
      });
    }
    const fast = call.fastParse?.(json);
    if (fast !== undefined) return fast;
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      throw new ZohoApiError({
        kind: 'malformed',
        status: response.status,
        message: `${capitalize(call.what)} was malformed: ${describeSchemaProblem(parsed.error)}`,
      });
    }
    return parsed.data;
  }
}

/** Bodies as Response.text() reads them: UTF-8, a leading BOM dropped, bad bytes as U+FFFD. */
const utf8 = new TextDecoder();

function numericCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** undici hides the useful part ("ECONNREFUSED", "other side closed") in `cause`. */
function networkReason(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause;
  if (cause?.code && cause.message) return `${cause.code} ${cause.message}`;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return e?.message ?? String(error);
}
