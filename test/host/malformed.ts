// Generates requests the contract must refuse, for every channel: wrong JSON types, unknown
// fields, every known field alone with a value of the wrong type or size, and known-valid
// requests spoiled by one field. Every one of them is invalid whatever the channel's rules.
import { channelNames, channels, type Channel } from '../../main/common/contract';

type AnySchema = { shape?: Record<string, unknown>; options?: AnySchema[] };

/** The field names a channel's request schema knows (object shape, or the union of its options). */
export function requestFields(channel: Channel): string[] {
  const schema = channels[channel].request as unknown as AnySchema;
  const keys = new Set<string>();
  const visit = (s: AnySchema | undefined) => {
    if (!s) return;
    if (s.shape) Object.keys(s.shape).forEach((k) => keys.add(k));
    s.options?.forEach(visit);
  };
  visit(schema);
  return [...keys];
}

const hugeString = 'x'.repeat(100_001);

/** Not a request object at all. (null/undefined are absent: the contract reads them as `{}`.) */
export const nonObjects: unknown[] = [[], [1, 2, 3], [{}], 'request', '', 42, 0, -1, true, false, hugeString];

/** Values no field of the contract accepts: wrong types, fractional, out of every range. */
export const badFieldValues: unknown[] = [
  null, [], {}, true, -1.5, hugeString, { nested: { deep: [1, 2, 3] } }, [null], 1e308,
];

/** Requests that are valid for their channel, to be spoiled by one bad field or one extra field. */
export const validRequests: Partial<Record<Channel, Record<string, unknown>>> = {
  'app.info': {},
  'accounts.list': {},
  'accounts.remove': { accountId: 'acc' },
  'accounts.organizations': { accountId: 'acc' },
  'accounts.sourceFields': { accountId: 'acc', organizationId: 'org' },
  'lists.list': {},
  'lists.create': { name: 'Customers' },
  'lists.members': { listId: 'list', offset: 0, limit: 10 },
  'lists.exportCsv': { listId: 'list' },
  'contacts.fields': {},
  'syncs.list': {},
  'syncs.get': { syncId: 'sync' },
  'syncs.setActive': { syncId: 'sync', active: true },
  'syncs.delete': { syncId: 'sync' },
  'syncs.runNow': { syncId: 'sync' },
  'syncs.cancel': { syncId: 'sync' },
  'runs.history': { syncId: 'sync', offset: 0, limit: 10 },
  'runs.get': { runId: 1 },
  'runs.outcomes': { runId: 1 },
};

export interface MalformedCase {
  channel: string;
  payload: unknown;
  label: string;
}

export function malformedCases(): MalformedCase[] {
  const cases: MalformedCase[] = [];
  for (const channel of channelNames) {
    for (const payload of nonObjects) cases.push({ channel, payload, label: `${channel} non-object ${JSON.stringify(payload).slice(0, 20)}` });
    cases.push({ channel, payload: { unexpected: 1 }, label: `${channel} unknown field` });
    cases.push({ channel, payload: JSON.parse('{"__proto__": {"polluted": true}}'), label: `${channel} __proto__ field` });
    cases.push({ channel, payload: { constructor: { prototype: { polluted: true } } }, label: `${channel} constructor field` });
    for (const field of requestFields(channel)) {
      for (const value of badFieldValues) {
        cases.push({ channel, payload: { [field]: value }, label: `${channel} ${field}=${JSON.stringify(value).slice(0, 20)}` });
      }
    }
    const valid = validRequests[channel];
    if (valid) {
      cases.push({ channel, payload: { ...valid, extra: 'field' }, label: `${channel} valid + extra field` });
      for (const field of Object.keys(valid)) {
        for (const value of badFieldValues) {
          if (typeof value === 'boolean' && typeof valid[field] === 'boolean') continue; // would be valid
          cases.push({ channel, payload: { ...valid, [field]: value }, label: `${channel} valid but ${field}=${JSON.stringify(value).slice(0, 20)}` });
        }
      }
    }
  }
  // Names that are not channels, including ones an object lookup would find.
  for (const name of ['', 'nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app.info ', 'APP.INFO', 42, null, ['app.info'], { channel: 'app.info' }]) {
    cases.push({ channel: name as string, payload: {}, label: `channel ${JSON.stringify(name)}` });
  }
  return cases;
}
