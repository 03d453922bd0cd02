/** Helpers shared by the sandbox and Zoho client tests: hand-written contacts and raw HTTP. */
import type { Logger } from '../../main/core/ports';
import type { Sandbox, SandboxContactInput } from '../../main/core/sandbox';
import { formatZohoTime } from '../../main/core/zoho';

/** 2025-01-01T00:00:00Z: hand-written contacts are stamped minutes after it. */
export const baseTime = Date.UTC(2025, 0, 1);

/**
 * A hand-written contact: `name` is "First Last"; created and modified `minute` minutes after
 * baseTime, in Zoho's format with India's offset.
 */
export function person(minute: number, name: string, email: string | undefined, extra: SandboxContactInput = {}): SandboxContactInput {
  const [first = '', last = ''] = name.split(' ');
  const time = formatZohoTime(baseTime + minute * 60_000, 330);
  return {
    contact_id: String(900_000_000 + minute),
    contact_name: name,
    first_name: first,
    last_name: last,
    ...(email === undefined ? {} : { email }),
    created_time: time,
    last_modified_time: time,
    ...extra,
  };
}

export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | null;
}

/** A plain GET against the sandbox, outside the client (to see exactly what it sends). */
export async function rawGet(sandbox: Sandbox, pathAndQuery: string, authorization: string | null = `Zoho-oauthtoken ${sandbox.key}`): Promise<RawReply> {
  const response = await fetch(`${sandbox.apiRoot}${pathAndQuery}`, { headers: authorization === null ? {} : { authorization } });
  return toRaw(response);
}

/** An admin call (GET without body, POST with one). */
export async function admin(sandbox: Sandbox, path: string, body?: unknown, key = sandbox.key): Promise<RawReply> {
  const origin = new URL(sandbox.apiRoot).origin;
  const response = await fetch(`${origin}/__sandbox${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Zoho-oauthtoken ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return toRaw(response);
}

async function toRaw(response: Response): Promise<RawReply> {
  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A logger that keeps every entry, to check that no secret is ever logged. */
export function capturingLogger(): Logger & { entries: Array<{ level: string; event: string; fields?: Record<string, unknown> }> } {
  const entries: Array<{ level: string; event: string; fields?: Record<string, unknown> }> = [];
  return {
    entries,
    log(level, event, fields) {
      entries.push({ level, event, ...(fields ? { fields } : {}) });
    },
  };
}

/** Waits until `condition` holds, checking every few ms (for counts that grow in the background). */
export async function eventually(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
