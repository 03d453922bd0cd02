import { describe, expect, it } from 'vitest';
import { ZohoApiError, errorFromReply, parseRetryAfter } from '../../main/core/zoho';
import { redact } from '../../main/core/zoho/errors';

describe('Zoho errors', () => {
  const what = 'page 3 of contacts';

  it('maps replies to kinds: status first, then Zoho codes whatever the status', () => {
    const kind = (status: number, code?: number, message?: string) =>
      errorFromReply({ what, status, ...(code === undefined ? {} : { code }), ...(message ? { message } : {}) }).kind;
    expect(kind(401, 57, 'You are not authorized to perform this operation')).toBe('auth');
    expect(kind(401)).toBe('auth');
    expect(kind(400, 14, 'Invalid value passed for authtoken')).toBe('auth');
    expect(kind(200, 57)).toBe('auth');
    expect(kind(200, 9999, 'Invalid OAuth token')).toBe('auth');
    expect(kind(429, 44)).toBe('rate-limit');
    expect(kind(500)).toBe('server');
    expect(kind(503)).toBe('server');
    expect(kind(400, 2, 'Invalid value passed for organization_id')).toBe('bad-request');
    expect(kind(200, 1001, 'Some business rule')).toBe('bad-request');
    expect(kind(404, 5)).toBe('not-found');
  });

  it('says what happened in words a person can act on', () => {
    const auth = errorFromReply({ what, status: 401, code: 57, message: 'You are not authorized to perform this operation' });
    expect(auth.message).toBe('Zoho Invoice rejected the ZSC key (code 57: You are not authorized to perform this operation). Check the key and its data center.');
    expect(auth).toMatchObject({ kind: 'auth', status: 401, code: 57, retryable: false });
    const limited = errorFromReply({ what, status: 429, retryAfterMs: 30_000 });
    expect(limited).toMatchObject({ kind: 'rate-limit', retryable: true, retryAfterMs: 30_000 });
    expect(limited.message).toMatch(/limiting requests for page 3 of contacts \(HTTP 429\); Zoho asks to wait 30 s/);
    expect(errorFromReply({ what, status: 502 }).message).toBe('Zoho Invoice had a server error reading page 3 of contacts (HTTP 502)');
  });

  it('retries only what may succeed later', () => {
    const retryable = (kind: ZohoApiError['kind']) => new ZohoApiError({ kind, message: 'x' }).retryable;
    expect(['rate-limit', 'server', 'network', 'timeout'].every((k) => retryable(k as ZohoApiError['kind']))).toBe(true);
    expect(['auth', 'bad-request', 'not-found', 'malformed', 'cancelled'].some((k) => retryable(k as ZohoApiError['kind']))).toBe(false);
    expect(new ZohoApiError({ kind: 'malformed', message: 'x' })).toBeInstanceOf(Error);
    expect(new ZohoApiError({ kind: 'malformed', message: 'x' }).name).toBe('ZohoApiError');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });

  it('redacts a secret wherever it appears', () => {
    expect(redact('bad key zsc-123456 and zsc-123456', 'zsc-123456')).toBe('bad key [ZSC key] and [ZSC key]');
    expect(redact('nothing here', 'zsc-123456')).toBe('nothing here');
  });
});
