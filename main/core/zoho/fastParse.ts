import type { z } from 'zod';
import type { contactsPageReplySchema } from './schemas';

/*
 * A hand-written fast path for the hottest reply, a page of contacts: zod spends ~10 ms on a page
 * of 200, more than parsing its JSON. It accepts exactly what schemas.ts accepts and returns the
 * same output (same transforms, unknown keys dropped, a key present in the output exactly when it
 * was in the input, keys in the schema's order). Whenever it meets anything it is not sure of, it
 * returns undefined and the caller runs the zod schema, which then either accepts the reply (the
 * fast path was only cautious) or says precisely what is wrong with it.
 */

export type ContactsPageReply = z.output<typeof contactsPageReplySchema>;

/** Thrown inside the fast path to give up; never escapes it. */
const giveUp: unique symbol = Symbol('giveUp');

type Field = (value: unknown) => unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String) */
const id: Field = (v) => {
  if (typeof v === 'string' && v.length >= 1) return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return String(v);
  throw giveUp;
};

/** z.string().nullish().transform((v) => v ?? undefined) */
const text: Field = (v) => {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return undefined;
  throw giveUp;
};

/** z.union([z.string(), z.number()]).nullish() → string | undefined */
const textOrNumber: Field = (v) => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (v === null || v === undefined) return undefined;
  throw giveUp;
};

/** z.union([z.string(), z.number()]).nullish(); '' → undefined */
const optionalId: Field = (v) => {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (v === null || v === undefined) return undefined;
  throw giveUp;
};

/** Amounts: numbers or numeric strings; anything not finite becomes undefined. */
const amount: Field = (v) => {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw giveUp;
    return v;
  }
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  throw giveUp;
};

/** The custom field's `index`: number or string; '' → undefined, else Number(). */
const fieldIndex: Field = (v) => {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw giveUp;
    return v;
  }
  if (typeof v === 'string') return Number(v);
  throw giveUp;
};

/** The custom field's `value`: string, number or boolean; null → undefined. */
const fieldValue: Field = (v) => {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v === null || v === undefined) return undefined;
  throw giveUp;
};

/** z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number), optional (not nullable). */
const pageNumber: Field = (v) => {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  throw giveUp;
};

const flag: Field = (v) => {
  if (typeof v === 'boolean') return v;
  throw giveUp;
};

type Shape = ReadonlyArray<readonly [string, Field, boolean?]>;

/** Builds an object of `shape`'s keys, in its order, each present only if it was in the input. */
function object(input: unknown, shape: Shape): Record<string, unknown> {
  if (!isRecord(input)) throw giveUp;
  const out: Record<string, unknown> = {};
  for (const [key, field, required] of shape) {
    if (key in input) out[key] = field(input[key]);
    else if (required) throw giveUp;
  }
  return out;
}

const customFieldShape: Shape = [
  ['customfield_id', optionalId],
  ['index', fieldIndex],
  ['label', text],
  ['api_name', text],
  ['data_type', text],
  ['value', fieldValue],
];

const customFields: Field = (v) => {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) throw giveUp;
  return v.map((f) => object(f, customFieldShape));
};

/**
 * One contact of contactSummarySchema, its keys in the schema's order (keep in step with it):
 * written out rather than built by object() from a shape, as the hottest object of an import (the
 * generic loop measured 2–3× slower).
 */
function contact(c: unknown): Record<string, unknown> {
  if (!isRecord(c) || !('contact_id' in c)) throw giveUp;
  const out: Record<string, unknown> = { contact_id: id(c.contact_id) };
  if ('contact_name' in c) out.contact_name = text(c.contact_name);
  if ('customer_name' in c) out.customer_name = text(c.customer_name);
  if ('vendor_name' in c) out.vendor_name = text(c.vendor_name);
  if ('company_name' in c) out.company_name = text(c.company_name);
  if ('website' in c) out.website = text(c.website);
  if ('contact_type' in c) out.contact_type = text(c.contact_type);
  if ('customer_sub_type' in c) out.customer_sub_type = text(c.customer_sub_type);
  if ('status' in c) out.status = text(c.status);
  if ('first_name' in c) out.first_name = text(c.first_name);
  if ('last_name' in c) out.last_name = text(c.last_name);
  if ('email' in c) out.email = text(c.email);
  if ('phone' in c) out.phone = textOrNumber(c.phone);
  if ('mobile' in c) out.mobile = textOrNumber(c.mobile);
  if ('currency_id' in c) out.currency_id = optionalId(c.currency_id);
  if ('currency_code' in c) out.currency_code = text(c.currency_code);
  if ('language_code' in c) out.language_code = text(c.language_code);
  if ('outstanding_receivable_amount' in c) out.outstanding_receivable_amount = amount(c.outstanding_receivable_amount);
  if ('unused_credits_receivable_amount' in c) out.unused_credits_receivable_amount = amount(c.unused_credits_receivable_amount);
  if ('portal_status' in c) out.portal_status = text(c.portal_status);
  if ('custom_fields' in c) out.custom_fields = customFields(c.custom_fields);
  if ('created_time' in c) out.created_time = text(c.created_time);
  if ('last_modified_time' in c) out.last_modified_time = text(c.last_modified_time);
  return out;
}

const pageContextShape: Shape = [
  ['page', pageNumber],
  ['per_page', pageNumber],
  ['has_more_page', flag, true],
  ['report_name', text],
  ['applied_filter', text],
  ['sort_column', text],
  ['sort_order', text],
];

/** The reply as contactsPageReplySchema would give it, or undefined: then ask the schema. */
export function fastContactsPage(json: unknown): ContactsPageReply | undefined {
  try {
    if (!isRecord(json) || !Array.isArray(json.contacts) || !('page_context' in json)) return undefined;
    const contacts = json.contacts.map(contact);
    const pageContext = object(json.page_context, pageContextShape);
    return { contacts, page_context: pageContext } as unknown as ContactsPageReply;
  } catch (error) {
    if (error === giveUp) return undefined;
    throw error;
  }
}
