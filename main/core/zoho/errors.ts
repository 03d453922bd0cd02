/** What went wrong talking to Zoho Invoice, in the terms the engine and the UI act on. */
export type ZohoErrorKind =
  | 'auth'
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'bad-request'
  | 'not-found'
  | 'malformed'
  | 'cancelled';

/** Kinds worth another attempt: the same request may well succeed a little later. */
const retryableKinds: ReadonlySet<ZohoErrorKind> = new Set(['rate-limit', 'server', 'network', 'timeout']);

export interface ZohoApiErrorInit {
  kind: ZohoErrorKind;
  message: string;
  status?: number;
  code?: number;
  retryAfterMs?: number;
  /** Defaults by kind: rate-limit, server, network and timeout are retried. */
  retryable?: boolean;
  cause?: unknown;
}

export class ZohoApiError extends Error {
  readonly kind: ZohoErrorKind;
  readonly status?: number;
  readonly code?: number;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;

  constructor(init: ZohoApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ZohoApiError';
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.retryable = init.retryable ?? retryableKinds.has(init.kind);
  }
}

export function isZohoApiError(error: unknown): error is ZohoApiError {
  return error instanceof ZohoApiError;
}

/**
 * Zoho's codes for a token it does not accept: 57 ("You are not authorized to perform this
 * operation") and 14 ("Invalid value passed for authtoken"). The exact set is not documented
 * *(check)*, so a non-zero code whose message speaks of the token or authorization counts too.
 */
export const authErrorCodes: ReadonlySet<number> = new Set([14, 57]);
const authMessage = /auth ?token|oauth|not authori[sz]ed|invalid token|token (has )?expired/i;

export function isAuthReply(status: number, code: number | undefined, message: string | undefined): boolean {
  if (status === 401 || status === 403) return true;
  if (code === undefined || code === 0) return false;
  return authErrorCodes.has(code) || (message !== undefined && authMessage.test(message));
}

/** Keeps a server's message short and on one line. */
function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function codePart(code: number | undefined, message: string | undefined): string {
  const text = message ? clip(message) : '';
  if (code !== undefined && text) return `code ${code}: ${text}`;
  if (code !== undefined) return `code ${code}`;
  return text;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export interface ReplyFacts {
  /** What was being done, e.g. "page 3 of contacts" or "contact 4600…" */
  what: string;
  status: number;
  code?: number;
  message?: string;
  retryAfterMs?: number;
}

/**
 * Maps an unsuccessful reply to an error. A non-zero Zoho `code` is an error whatever the HTTP
 * status; a rejected key is 'auth' whether Zoho says so by status or by code.
 */
export function errorFromReply(r: ReplyFacts): ZohoApiError {
  const detail = codePart(r.code, r.message);
  const http = `HTTP ${r.status}`;
  const base = { status: r.status, ...(r.code !== undefined ? { code: r.code } : {}) };
  if (isAuthReply(r.status, r.code, r.message)) {
    return new ZohoApiError({
      ...base,
      kind: 'auth',
      message: `Zoho Invoice rejected the ZSC key (${detail || http}). Check the key and its data center.`,
    });
  }
  if (r.status === 429) {
    const wait = r.retryAfterMs !== undefined ? `; Zoho asks to wait ${seconds(r.retryAfterMs)}` : '';
    return new ZohoApiError({
      ...base,
      kind: 'rate-limit',
      ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}),
      message: `Zoho Invoice is limiting requests for ${r.what} (${detail ? `${http}, ${detail}` : http})${wait}`,
    });
  }
  if (r.status >= 500) {
    return new ZohoApiError({
      ...base,
      kind: 'server',
      message: `Zoho Invoice had a server error reading ${r.what} (${detail ? `${http}, ${detail}` : http})`,
    });
  }
  if (r.status === 404) {
    return new ZohoApiError({
      ...base,
      kind: 'not-found',
      message: `Zoho Invoice has no ${r.what} (${detail ? `${http}, ${detail}` : http})`,
    });
  }
  return new ZohoApiError({
    ...base,
    kind: 'bad-request',
    message: `Zoho Invoice refused the request for ${r.what} (${detail ? `${http}, ${detail}` : http})`,
  });
}

/**
 * Retry-After as milliseconds: delta seconds or an HTTP date. Undefined when absent or unreadable.
 * A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Removes every occurrence of a secret from a text that may be shown or logged. */
export function redact(text: string, secret: string): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[ZSC key]');
}
