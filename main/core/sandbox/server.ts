/*
 * The Invoice sandbox: a real HTTP server on 127.0.0.1 that speaks the subset of the Zoho Invoice
 * API ListSync uses, with Zoho's JSON shapes. It is the demo organization shipped with the app and
 * the counterpart of every test.
 *
 * API (Authorization: Zoho-oauthtoken <key>):
 *   GET /invoice/v3/organizations
 *   GET /invoice/v3/contacts?organization_id=&page=&per_page=(≤200)&sort_column=&sort_order=A|D
 *       &filter_by=Status.*|Invoice.*&contact_type=customer|vendor&search_text=
 *       &<contact_name|company_name|first_name|last_name|email|phone|address>[_startswith|_contains]=
 *   GET /invoice/v3/contacts/{contact_id}?organization_id=
 *   Wrong or missing key: 401 {"code":57,…}; a malformed Authorization header: 401 {"code":14,…};
 *   unknown organization: 400 {"code":2,…}; unknown contact: 404 {"code":1002,…}; unknown path:
 *   404 {"code":5,…}; unknown query parameters are ignored, like Zoho.
 *
 * Admin endpoints, for tests that run the app in another process (same Authorization header with
 * the current key; JSON bodies; replies are {"code":0,"message":"success",…}):
 *   GET  /__sandbox                                   → { api_root, organizations: [{organization_id, name, contacts}] }
 *   GET  /__sandbox/stats                             → { stats }      (see SandboxStats)
 *   POST /__sandbox/stats/reset                       → {}
 *   GET  /__sandbox/faults                            → { faults }     (what is still pending)
 *   POST /__sandbox/faults          body SandboxFaults → { faults }     (replaces all faults; {} clears)
 *   POST /__sandbox/rate-limit      body {requests, windowMs, concurrent?} | {} → {}   ({} turns it off)
 *   POST /__sandbox/key/regenerate                    → { key }        (the old key stops working at once)
 *   POST /__sandbox/clock           body {now: ISO string | null} → {}  (times stamped on changes; null = system clock)
 *   GET  /__sandbox/organizations/{org}/composition   → { composition } (generated organizations; else null)
 *   POST /__sandbox/organizations/{org}/contacts      body contact     → { contact }  (add)
 *   GET  /__sandbox/organizations/{org}/contacts/{id}                  → { contact }
 *   POST /__sandbox/organizations/{org}/contacts/{id} body patch       → { contact }  (update; bumps last_modified_time)
 *   POST /__sandbox/organizations/{org}/contacts/{id}/delete           → {}
 * Admin requests are never counted in stats and never hit by faults or the rate limit.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { silentLogger, type Logger } from '../ports';
import { toDetail, type SandboxContact, type SandboxContactInput } from './contact';
import { FaultState, type SandboxFaults } from './faults';
import type { GenerateSpec, GeneratedComposition } from './generate';
import {
  SandboxOrganization, SandboxStateError, searchFields, sortColumns, statusFilters,
  type ContactQuery, type SearchField, type SearchMode, type SortColumn, type StatusFilter,
} from './organization';
import { ServerRateLimiter, type SandboxRateLimit } from './rateLimit';

/** The demo's fixed ZSC key: the demo account works out of the box. Not a secret. */
export const DEMO_KEY = 'demo-zsc-key-0000000000000000';
export const DEMO_ORG_ID = '10234695';
export const DEMO_LABS_ORG_ID = '10234696';
export const DEMO_SEED = 1;
export const DEMO_CONTACTS = 3000;
export const DEMO_LABS_CONTACTS = 40;

export const apiBasePath = '/invoice/v3';

export interface SandboxOrgInput {
  /** Default: 10234695, 10234696 … in the order given. */
  organization_id?: string;
  name?: string;
  /** Hand-written contacts, served as given (fields left out get Zoho-like defaults). */
  contacts?: readonly SandboxContactInput[];
  /** Generated contacts: deterministic from the seed, computed on demand (up to millions). */
  generate?: GenerateSpec;
  /** Serve IDs and zip codes as JSON numbers, as in Zoho's doc examples. */
  numericIds?: boolean;
  currency_code?: string;
  time_zone?: string;
  /** UTC offset of `time_zone`, used to format times like Zoho (`+0530`). Default 330. */
  utcOffsetMinutes?: number;
  country?: string;
}

export interface SandboxOptions {
  /** 0 (default) picks a free port. The host is always 127.0.0.1. */
  port?: number;
  /** The ZSC key the sandbox accepts. Default DEMO_KEY. */
  key?: string;
  /** Seed of the default demo organizations. Default 1. */
  seed?: number;
  /** Default: the demo ("Zylker Demo Traders", 3 000 contacts, and "Zylker Labs", 40). */
  organizations?: readonly SandboxOrgInput[];
  rateLimit?: SandboxRateLimit | null;
  faults?: SandboxFaults;
  /** Time stamped on added and edited contacts. Default the system clock. */
  clock?: () => Date;
  logger?: Logger;
  /** Per organization, most bytes of contacts kept serialized for list pages (default 64 MB; a benchmark raises it). */
  summaryCacheBytes?: number;
}

export interface SandboxStats {
  /** API requests received (admin requests excluded), whatever their reply. */
  requests: number;
  /** Replies by HTTP status; "reset" for connections dropped on purpose. */
  byStatus: Record<string, number>;
  byEndpoint: { organizations: number; contacts: number; contact: number; other: number };
  byOrg: Record<string, { requests: number; maxConcurrent: number }>;
  /** Most API requests in flight at once, over all organizations. */
  maxConcurrent: number;
  inFlight: number;
  /** 429 replies from the rate limit (injected bursts not included). */
  rateLimited: number;
  /** Arrival times (ms, monotonic) of API requests, per organization ("*" for /organizations). */
  arrivals: Record<string, number[]>;
}

export interface Sandbox {
  readonly apiRoot: string;
  readonly port: number;
  /** The key currently accepted (changes with regenerateKey). */
  readonly key: string;
  /** Organization IDs, in the order given. */
  readonly organizations: string[];
  close(): Promise<void>;
  addContact(orgId: string, contact: SandboxContactInput): SandboxContact;
  updateContact(orgId: string, contactId: string, patch: SandboxContactInput): SandboxContact;
  deleteContact(orgId: string, contactId: string): void;
  getContact(orgId: string, contactId: string): SandboxContact | null;
  contactCount(orgId: string): number;
  /** Composition of a generated organization, as generated; null for hand-written ones. */
  composition(orgId: string): GeneratedComposition | null;
  regenerateKey(): string;
  /** The organization is gone for the key (deleted, or access lost): its requests get 400 code 2. */
  removeOrganization(orgId: string): void;
  /** Replaces all pending faults ({} clears them). */
  setFaults(faults: SandboxFaults): void;
  faults(): SandboxFaults;
  setRateLimit(limit: SandboxRateLimit | null): void;
  stats(): SandboxStats;
  resetStats(): void;
  setClock(clock: (() => Date) | null): void;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The body already serialized (JSON.stringify(body) as UTF-8); `body` is then not read. */
  bytes?: Buffer;
}

const notAuthorized: Reply = { status: 401, body: { code: 57, message: 'You are not authorized to perform this operation' } };
const badToken: Reply = { status: 401, body: { code: 14, message: 'Invalid value passed for authtoken' } };
const invalidUrl: Reply = { status: 404, body: { code: 5, message: 'Invalid URL Passed' } };
const invalidValue = (name: string): Reply => ({ status: 400, body: { code: 2, message: `Invalid value passed for ${name}` } });
const success = (data: Record<string, unknown> = {}): Reply => ({ status: 200, body: { code: 0, message: 'success', ...data } });
/** The start of a contact page's JSON, as success({ contacts: [ … ] }) serializes it. */
const pageHead = Buffer.from('{"code":0,"message":"success","contacts":[', 'utf8');
const comma = Buffer.from(',', 'utf8');

function emptyStats(): SandboxStats {
  return {
    requests: 0,
    byStatus: {},
    byEndpoint: { organizations: 0, contacts: 0, contact: 0, other: 0 },
    byOrg: {},
    maxConcurrent: 0,
    inFlight: 0,
    rateLimited: 0,
    arrivals: {},
  };
}

function newKey(): string {
  return `demo-zsc-key-${randomBytes(12).toString('hex')}`;
}

function defaultOrganizations(seed: number): SandboxOrgInput[] {
  return [
    { organization_id: DEMO_ORG_ID, name: 'Zylker Demo Traders', generate: { count: DEMO_CONTACTS, seed } },
    { organization_id: DEMO_LABS_ORG_ID, name: 'Zylker Labs', generate: { count: DEMO_LABS_CONTACTS, seed: seed + 1 } },
  ];
}

/** Reads the Authorization header: the key, 'missing', or 'malformed'. */
function tokenOf(req: IncomingMessage): string | 'missing' | 'malformed' {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') return 'missing';
  const m = /^Zoho-oauthtoken +(\S+)$/i.exec(header.trim());
  return m ? (m[1] as string) : 'malformed';
}

const adminBodyLimit = 1_000_000;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > adminBodyLimit) reject(new SandboxStateError('The request body is too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new SandboxStateError('The request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

const rateLimitSchema = z.object({ requests: z.number().int().min(1), windowMs: z.number().int().min(1), concurrent: z.number().int().min(1).optional() });
const clockSchema = z.object({ now: z.string().nullable() });
const contactBodySchema = z.record(z.string(), z.unknown());

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const logger = options.logger ?? silentLogger;
  let key = options.key ?? DEMO_KEY;
  let clock: () => Date = options.clock ?? (() => new Date());
  const faults = new FaultState();
  faults.set(options.faults ?? {});
  let limiter = options.rateLimit ? new ServerRateLimiter(options.rateLimit) : null;
  let stats = emptyStats();

  const orgs = new Map<string, SandboxOrganization>();
  const inputs = options.organizations ?? defaultOrganizations(options.seed ?? DEMO_SEED);
  inputs.forEach((input, ordinal) => {
    let id = input.organization_id ?? String(Number(DEMO_ORG_ID) + ordinal);
    while (orgs.has(id)) id = String(Number(id) + 1000);
    if (orgs.has(id)) throw new Error(`Organization ${id} is given twice`);
    orgs.set(
      id,
      new SandboxOrganization(
        {
          organization_id: id,
          name: input.name ?? (ordinal === 0 ? 'Zylker Demo Traders' : `Zylker Organization ${ordinal + 1}`),
          numericIds: input.numericIds === true,
          currencyCode: input.currency_code ?? 'INR',
          timeZone: input.time_zone ?? 'Asia/Kolkata',
          offsetMinutes: input.utcOffsetMinutes ?? 330,
          country: input.country ?? 'India',
          idBase: 460_000_000_000_000 + ordinal * 1_000_000_000_000,
          ...(input.generate ? { generate: input.generate } : {}),
          ...(input.contacts ? { contacts: input.contacts } : {}),
        },
        () => clock(),
        options.summaryCacheBytes,
      ),
    );
  });

  const orgOf = (orgId: string): SandboxOrganization => {
    const org = orgs.get(orgId);
    if (!org) throw new SandboxStateError(`No organization ${orgId} in the sandbox`);
    return org;
  };

  const organizationsReply = (): Reply =>
    success({
      organizations: [...orgs.values()].map((o, ordinal) => {
        const org: Record<string, unknown> = {
          organization_id: o.id,
          name: o.name,
          contact_name: 'Demo Admin',
          email: 'admin@zylker.example',
          is_default_org: ordinal === 0,
          plan_type: 0,
          plan_name: 'Sandbox',
          language_code: 'en',
          currency_code: o.setup.currencyCode,
          time_zone: o.setup.timeZone,
          country: o.setup.country,
          version: 'global',
        };
        if (o.setup.numericIds && /^\d{1,15}$/.test(o.id)) org.organization_id = Number(o.id);
        return org;
      }),
    });

  /** Parses a list request's parameters like Zoho (unknown ones ignored). */
  const parseQuery = (params: URLSearchParams): ContactQuery | Reply => {
    const int = (name: string, fallback: number): number | null => {
      const raw = params.get(name);
      if (raw === null || raw === '') return fallback;
      return /^\d{1,9}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : null;
    };
    const page = int('page', 1);
    if (page === null) return invalidValue('page');
    const perPage = int('per_page', 200);
    if (perPage === null) return invalidValue('per_page');
    const sortColumn = params.get('sort_column') || 'contact_name';
    if (!(sortColumns as readonly string[]).includes(sortColumn)) return invalidValue('sort_column');
    const sortOrder = params.get('sort_order') || 'A';
    if (sortOrder !== 'A' && sortOrder !== 'D') return invalidValue('sort_order');
    const filterBy = params.get('filter_by') || 'Status.All';
    if (!(statusFilters as readonly string[]).includes(filterBy)) return invalidValue('filter_by');
    const contactType = params.get('contact_type') || undefined;
    if (contactType !== undefined && contactType !== 'customer' && contactType !== 'vendor') return invalidValue('contact_type');
    const searches: ContactQuery['searches'] = [];
    const searchText = params.get('search_text');
    if (searchText) searches.push({ field: 'search_text', mode: 'contains', value: searchText });
    for (const field of searchFields) {
      for (const [suffix, mode] of [['', 'is'], ['_startswith', 'startswith'], ['_contains', 'contains']] as const) {
        const value = params.get(`${field}${suffix}`);
        if (value) searches.push({ field: field as SearchField, mode: mode as SearchMode, value });
      }
    }
    return {
      page,
      perPage: Math.min(200, perPage),
      sortColumn: sortColumn as SortColumn,
      sortOrder,
      searches,
      ...(contactType ? { contactType } : {}),
      filterBy: filterBy as StatusFilter,
    };
  };

  /** A page of the contact list: which contacts, and its page_context. */
  const contactsPage = (org: SandboxOrganization, query: ContactQuery) => {
    let served = query;
    // An injected repeat: the previous page's contacts, labelled as this page.
    if (query.page > 1 && faults.take('repeatPreviousPageNext')) served = { ...query, page: query.page - 1 };
    const result = org.listSlots(served);
    const hasMore = faults.endlessPaging || result.hasMore || served !== query;
    const pageContext = {
      page: query.page,
      per_page: query.perPage,
      has_more_page: hasMore,
      report_name: 'Contacts',
      applied_filter: query.filterBy,
      sort_column: query.sortColumn,
      sort_order: query.sortOrder,
      search_criteria: query.searches.map((s) => ({
        column_name: s.field,
        search_text: s.value,
        comparator: s.mode === 'is' ? 'equal' : s.mode === 'startswith' ? 'starts_with' : 'contains',
      })),
    };
    return { slots: result.slots, pageContext };
  };

  /** The reply as an object (for the wrong-shape faults, which edit it). */
  const contactsReply = (org: SandboxOrganization, query: ContactQuery): Reply => {
    const { slots, pageContext } = contactsPage(org, query);
    return success({ contacts: slots.map((slot) => JSON.parse(org.summaryJson(slot).toString('utf8')) as unknown), page_context: pageContext });
  };

  /**
   * The same reply, byte for byte, from each contact's cached JSON: the hot path of every import
   * against the sandbox (the test in sandbox.test.ts holds the two equal).
   */
  const contactsReplyBytes = (org: SandboxOrganization, query: ContactQuery): Reply => {
    const { slots, pageContext } = contactsPage(org, query);
    const parts: Buffer[] = [pageHead];
    slots.forEach((slot, i) => {
      if (i > 0) parts.push(comma);
      parts.push(org.summaryJson(slot));
    });
    parts.push(Buffer.from(`],"page_context":${JSON.stringify(pageContext)}}`, 'utf8'));
    return { status: 200, body: null, bytes: Buffer.concat(parts) };
  };

  const withWrongShape = (reply: Reply): Reply => {
    const body = structuredClone(reply.body) as { contacts: Array<Record<string, unknown>>; page_context?: unknown };
    const shape = faults.wrongShape;
    if (shape === 'no-page-context') delete body.page_context;
    else if (shape === 'email-number' && body.contacts.length > 0) (body.contacts[0] as Record<string, unknown>).email = 4155550123;
    else (body as Record<string, unknown>).contacts = Object.fromEntries(body.contacts.map((c) => [String(c.contact_id), c]));
    return { ...reply, body };
  };

  const inFlightByOrg = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number, req: IncomingMessage): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!req.socket.destroyed);
      }, ms);
      timers.add(timer);
    });

  /**
   * Ends a request's in-flight accounting. Called just before the reply is written (not on the
   * socket's 'close'), so a client that has read a reply can never be counted as still in flight.
   */
  const finishers = new WeakMap<ServerResponse, () => void>();
  const finish = (res: ServerResponse): void => {
    finishers.get(res)?.();
    finishers.delete(res);
  };

  const send = (res: ServerResponse, reply: Reply, truncate = false): void => {
    finish(res);
    if (res.destroyed || res.headersSent) return;
    if (typeof reply.body === 'string') {
      res.writeHead(reply.status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(reply.body), ...reply.headers });
      res.end(reply.body);
      return;
    }
    let bytes = reply.bytes ?? Buffer.from(JSON.stringify(reply.body), 'utf8');
    if (truncate) bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': bytes.length, ...reply.headers });
    res.end(bytes);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const rest = url.pathname.startsWith(apiBasePath) ? url.pathname.slice(apiBasePath.length).replace(/\/+$/, '') : null;
    const detailMatch = rest === null ? null : /^\/contacts\/([^/]+)$/.exec(rest);
    const endpoint = rest === '/organizations' ? 'organizations' : rest === '/contacts' ? 'contacts' : detailMatch ? 'contact' : 'other';
    const orgId = endpoint === 'organizations' ? '*' : url.searchParams.get('organization_id') ?? '';

    stats.requests += 1;
    stats.byEndpoint[endpoint] += 1;
    stats.inFlight += 1;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.inFlight);
    const orgStats = (stats.byOrg[orgId] ??= { requests: 0, maxConcurrent: 0 });
    orgStats.requests += 1;
    (stats.arrivals[orgId] ??= []).push(performance.now());
    const counted = stats;
    const orgInFlight = (inFlightByOrg.get(orgId) ?? 0) + 1;
    inFlightByOrg.set(orgId, orgInFlight);
    orgStats.maxConcurrent = Math.max(orgStats.maxConcurrent, orgInFlight);
    let releaseLimit: (() => void) | null = null;
    let status = 'reset';
    finishers.set(res, () => {
      inFlightByOrg.set(orgId, (inFlightByOrg.get(orgId) ?? 1) - 1);
      releaseLimit?.();
      if (counted !== stats) return; // stats were reset meanwhile
      stats.inFlight -= 1;
    });
    res.on('close', () => {
      finish(res); // the client went away before a reply
      if (res.writableFinished) status = String(res.statusCode);
      if (counted === stats) stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    });

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, { status: 405, body: { code: 5, message: 'Only GET is supported by the sandbox' } });
    if (rest === null || endpoint === 'other') return send(res, invalidUrl);
    const token = tokenOf(req);
    if (token === 'malformed') return send(res, badToken);
    if (token === 'missing' || token !== key) return send(res, notAuthorized);
    const org = endpoint === 'organizations' ? null : orgs.get(orgId);
    if (endpoint !== 'organizations' && !org) {
      return send(res, orgId === '' ? { status: 400, body: { code: 6041, message: 'organization_id is required' } } : invalidValue('organization_id'));
    }
    if (limiter) {
      const admitted = limiter.admit(orgId);
      if (!admitted.ok) {
        stats.rateLimited += 1;
        return send(res, {
          status: 429,
          headers: { 'retry-after': String(admitted.retryAfterSec) },
          body: { code: 44, message: `You have made too many requests (${admitted.reason === 'window' ? 'per-minute limit' : 'simultaneous requests'}); try again after some time.` },
        });
      }
      releaseLimit = admitted.done;
    }

    const isList = endpoint === 'contacts';
    if (isList) {
      if (faults.take('resetConnectionNext')) {
        finish(res);
        req.socket.resetAndDestroy();
        return;
      }
      const burst = faults.takeRateLimit();
      if (burst) {
        return send(res, {
          status: 429,
          ...(burst.retryAfterSec === null ? {} : { headers: { 'retry-after': String(burst.retryAfterSec) } }),
          body: { code: 44, message: 'You have made too many requests; try again after some time.' },
        });
      }
      const serverError = faults.takeServerError();
      if (serverError !== null) {
        return send(
          res,
          serverError === 500
            ? { status: 500, body: { code: 1, message: 'Internal error, please try again later' } }
            : { status: serverError, body: `<html><body><h1>${serverError} ${serverError === 502 ? 'Bad Gateway' : 'Service Unavailable'}</h1></body></html>` },
        );
      }
    }
    const delay = faults.delayFor(isList);
    if (delay > 0 && !(await wait(delay, req))) return;

    if (endpoint === 'organizations') return send(res, organizationsReply());
    const o = org as SandboxOrganization;
    if (endpoint === 'contact') {
      const contact = o.get(decodeURIComponent((detailMatch as RegExpExecArray)[1] as string));
      if (!contact) return send(res, { status: 404, body: { code: 1002, message: 'Contact does not exist.' } });
      return send(res, success({ contact: toDetail(contact, o.setup.numericIds) }));
    }
    const query = parseQuery(url.searchParams);
    if ('status' in query) return send(res, query);
    const reply = faults.take('wrongShapeNext') ? withWrongShape(contactsReply(o, query)) : contactsReplyBytes(o, query);
    send(res, reply, faults.take('truncateNext'));
  };

  const sandbox: Sandbox = {
    apiRoot: '',
    port: 0,
    get key() {
      return key;
    },
    organizations: [...orgs.keys()],
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    addContact: (orgId, contact) => orgOf(orgId).add(contact),
    updateContact: (orgId, contactId, patch) => orgOf(orgId).update(contactId, patch),
    deleteContact: (orgId, contactId) => orgOf(orgId).remove(contactId),
    getContact: (orgId, contactId) => orgOf(orgId).get(contactId),
    contactCount: (orgId) => orgOf(orgId).contactCount,
    composition: (orgId) => orgOf(orgId).generatedComposition(),
    removeOrganization: (orgId) => {
      orgOf(orgId);
      orgs.delete(orgId);
    },
    regenerateKey: () => {
      key = newKey();
      logger.log('info', 'sandbox.key-regenerated', {});
      return key;
    },
    setFaults: (f) => faults.set(f),
    faults: () => faults.current(),
    setRateLimit: (limit) => {
      limiter = limit ? new ServerRateLimiter(rateLimitSchema.parse(limit)) : null;
    },
    stats: () => structuredClone(stats),
    resetStats: () => {
      // Requests still in flight finish uncounted: they belong to the stats that were reset.
      stats = emptyStats();
    },
    setClock: (fn) => {
      clock = fn ?? (() => new Date());
    },
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const token = tokenOf(req);
    if (token === 'malformed') return send(res, badToken);
    if (token !== key) return send(res, notAuthorized);
    const path = url.pathname.replace(/\/+$/, '');
    const post = req.method === 'POST';
    const body = post ? await readBody(req) : undefined;
    if (path === '/__sandbox' && !post) {
      return send(res, success({
        api_root: sandbox.apiRoot,
        organizations: [...orgs.values()].map((o) => ({ organization_id: o.id, name: o.name, contacts: o.contactCount })),
      }));
    }
    if (path === '/__sandbox/stats' && !post) return send(res, success({ stats: sandbox.stats() }));
    if (path === '/__sandbox/stats/reset' && post) return sandbox.resetStats(), send(res, success());
    if (path === '/__sandbox/faults') {
      if (post) sandbox.setFaults(body as SandboxFaults);
      return send(res, success({ faults: sandbox.faults() }));
    }
    if (path === '/__sandbox/rate-limit' && post) {
      const limit = body && Object.keys(body as object).length > 0 ? rateLimitSchema.parse(body) : null;
      sandbox.setRateLimit(limit);
      return send(res, success());
    }
    if (path === '/__sandbox/key/regenerate' && post) return send(res, success({ key: sandbox.regenerateKey() }));
    if (path === '/__sandbox/clock' && post) {
      const { now } = clockSchema.parse(body);
      if (now !== null && Number.isNaN(Date.parse(now))) throw new SandboxStateError('clock.now is not a date');
      sandbox.setClock(now === null ? null : () => new Date(now));
      return send(res, success());
    }
    const m = /^\/__sandbox\/organizations\/([^/]+)(?:\/(composition|contacts)(?:\/([^/]+)(\/delete)?)?)?$/.exec(path);
    if (m) {
      const [, orgId = '', what, contactId, del] = m;
      const org = orgOf(decodeURIComponent(orgId));
      if (what === 'composition' && !post) return send(res, success({ composition: org.generatedComposition() }));
      if (what === 'contacts' && contactId === undefined && post) {
        return send(res, success({ contact: org.add(contactBodySchema.parse(body) as SandboxContactInput) }));
      }
      if (what === 'contacts' && contactId !== undefined) {
        const id = decodeURIComponent(contactId);
        if (del && post) return org.remove(id), send(res, success());
        if (!del && post) return send(res, success({ contact: org.update(id, contactBodySchema.parse(body) as SandboxContactInput) }));
        if (!del && !post) {
          const contact = org.get(id);
          return send(res, contact ? success({ contact }) : { status: 404, body: { code: 1002, message: 'Contact does not exist.' } });
        }
      }
    }
    return send(res, invalidUrl);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const admin = url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/');
    (admin ? handleAdmin(req, res, url) : handleApi(req, res, url)).catch((error: unknown) => {
      const known = error instanceof SandboxStateError || error instanceof z.ZodError;
      if (!known) logger.log('error', 'sandbox.error', { message: (error as Error)?.message });
      const message = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error)?.message ?? String(error);
      send(res, { status: known ? 400 : 500, body: { code: known ? 2 : 1, message } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  Object.assign(sandbox, { port, apiRoot: `http://127.0.0.1:${port}${apiBasePath}` });
  logger.log('info', 'sandbox.started', { port, organizations: sandbox.organizations });
  return sandbox;
}
