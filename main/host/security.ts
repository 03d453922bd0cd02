// The browser host's request checks, as pure functions: the token, the Host header (against DNS
// rebinding), the Origin and Sec-Fetch-Site headers (against other pages driving the host).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const loopback = '127.0.0.1';

/** A fresh per-start secret: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (both sides hashed first, so lengths never leak either). */
export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The cookie that carries the token for the page's own asset requests; one name per port. */
export function cookieName(port: number): string {
  return `listsync_${port}`;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

export interface RequestFacts {
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The token from the query string or, failing that, the cookie. */
  token: string | null;
}

export type Refusal = 'host' | 'origin' | 'fetch-site' | 'token';

/** Why a request is refused, or null when it may proceed. */
export function refusalFor(facts: RequestFacts, port: number, token: string): Refusal | null {
  if (!facts.host || !allowedHosts(port).includes(facts.host.toLowerCase())) return 'host';
  // Browsers always send Origin on WebSocket handshakes and on cross-origin requests; a tool such
  // as curl or the `ws` client sends none, and needs the token like everyone else.
  if (facts.origin !== undefined && !allowedOrigins(port).includes(facts.origin.toLowerCase())) return 'origin';
  if (facts.secFetchSite !== undefined && !['same-origin', 'none'].includes(facts.secFetchSite)) return 'fetch-site';
  if (!tokensEqual(facts.token, token)) return 'token';
  return null;
}

/**
 * The pages' CSP: scripts and styles only from the host itself (never inline, never eval), no
 * remote hosts, and the one WebSocket back to this host.
 */
export function hostContentSecurityPolicy(port: number): string {
  const ws = allowedHosts(port).map((h) => `ws://${h}`);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${ws.join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "worker-src 'none'",
  ].join('; ');
}
