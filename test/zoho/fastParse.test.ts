// The contacts-page fast path must be the schema, only faster: same output (key for key, in the same
// order) whenever it answers, and no answer whenever the schema would refuse the reply.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toSummary } from '../../main/core/sandbox/contact';
import { SandboxOrganization } from '../../main/core/sandbox/organization';
import { fastContactsPage } from '../../main/core/zoho/fastParse';
import { contactsPageReplySchema } from '../../main/core/zoho/schemas';

function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, shape(v)]);
  return value === undefined ? '(undefined)' : value;
}

function pages(numericIds: boolean, count: number): unknown[] {
  const org = new SandboxOrganization(
    {
      organization_id: '1', name: 'Fast', numericIds, currencyCode: 'INR', timeZone: 'Asia/Kolkata', offsetMinutes: 330,
      country: 'India', idBase: 460_000_000_000_000, generate: { count, seed: numericIds ? 5 : 6 },
    },
    () => new Date('2026-11-01T00:00:00Z'),
  );
  const out: unknown[] = [];
  for (let page = 1; page <= Math.ceil(count / 200); page += 1) {
    const list = org.list({ page, perPage: 200, sortColumn: 'created_time', sortOrder: 'A', searches: [], filterBy: 'Status.All' });
    out.push(JSON.parse(JSON.stringify({
      code: 0, message: 'success', contacts: list.contacts.map((c) => toSummary(c, numericIds)),
      page_context: { page, per_page: 200, has_more_page: list.hasMore, sort_column: 'created_time', sort_order: 'A' },
    })));
  }
  return out;
}

const odd = [null, '', 'x', '12', 0, 1.5, -3, true, false, [], {}, [{}], [{ value: null, index: '' }], [{ index: 'x', value: 3 }], 'NaN'];

describe('fastContactsPage', () => {
  it('gives exactly what the schema gives, or leaves the reply to the schema', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    let answered = 0;
    let declined = 0;
    for (const numericIds of [false, true]) {
      for (const page of pages(numericIds, 1000)) {
        const replies = [page];
        for (let m = 0; m < 12; m += 1) {
          const copy = structuredClone(page) as { contacts: Array<Record<string, unknown>>; page_context?: Record<string, unknown> };
          const contact = pick(copy.contacts);
          const key = pick([...Object.keys(contact), 'contact_id', 'currency_id', 'custom_fields', 'phone', 'outstanding_receivable_amount']);
          if (random() < 0.15) delete contact[key];
          else contact[key] = pick(odd);
          if (random() < 0.1 && copy.page_context) copy.page_context.page = pick(odd);
          if (random() < 0.05 && copy.page_context) copy.page_context.has_more_page = pick(odd);
          if (random() < 0.03) delete copy.page_context;
          replies.push(copy);
        }
        for (const reply of replies) {
          const slow = contactsPageReplySchema.safeParse(reply);
          const fast = fastContactsPage(reply);
          if (fast === undefined) {
            declined += 1;
            continue;
          }
          answered += 1;
          expect(slow.success).toBe(true);
          expect(isDeepStrictEqual(fast, slow.data)).toBe(true);
          expect(JSON.stringify(shape(fast)) === JSON.stringify(shape(slow.data))).toBe(true);
        }
      }
    }
    expect(answered).toBeGreaterThan(50);
    expect(declined).toBeGreaterThan(10);
  });
});
