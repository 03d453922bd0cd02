import { z } from 'zod';

/*
 * Shapes of Zoho Invoice replies, as ListSync reads them. Tolerant where Zoho varies (IDs and zip
 * codes as numbers or strings, optional fields missing, null or ""), strict where a wrong type
 * means the reply cannot be trusted (an email that is a number, contacts that are not a list).
 * Unknown fields are dropped (zod objects strip them), so the typed result holds only these.
 */

/** An identifier: Zoho's docs show numbers, live replies strings. Always a string here. */
const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => String(v));

/** Optional text: missing or null become undefined; "" stays "". */
const text = z.string().nullish().transform((v) => v ?? undefined);

/** Optional text that Zoho's doc examples sometimes show as a number (zip, phone, fax). */
const textOrNumber = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? undefined : String(v)));

const optionalId = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? undefined : String(v)));

/** Amounts: numbers, or numeric strings from some replies. */
const amount = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : undefined;
  });

const flag = z.boolean().nullish().transform((v) => v ?? undefined);

export const envelopeSchema = z.object({
  code: z.number().int(),
  message: text,
});
export type ZohoEnvelope = z.output<typeof envelopeSchema>;

const pageNumber = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => Number(v));

export const pageContextSchema = z.object({
  page: pageNumber.optional(),
  per_page: pageNumber.optional(),
  has_more_page: z.boolean(),
  report_name: text,
  applied_filter: text,
  sort_column: text,
  sort_order: text,
});
export type ZohoPageContext = z.output<typeof pageContextSchema>;

export const organizationSchema = z.object({
  organization_id: id,
  name: z.string(),
  contact_name: text,
  email: text,
  is_default_org: flag,
  currency_code: text,
  time_zone: text,
  country: text,
});
export type ZohoOrganization = z.output<typeof organizationSchema>;

export const customFieldSchema = z.object({
  customfield_id: optionalId,
  index: z
    .union([z.number(), z.string()])
    .nullish()
    .transform((v) => (v === null || v === undefined || v === '' ? undefined : Number(v))),
  label: text,
  api_name: text,
  data_type: text,
  value: z.union([z.string(), z.number(), z.boolean()]).nullish().transform((v) => v ?? undefined),
});
export type ZohoCustomField = z.output<typeof customFieldSchema>;

/** One contact in a list reply. */
export const contactSummarySchema = z.object({
  contact_id: id,
  contact_name: text,
  customer_name: text,
  vendor_name: text,
  company_name: text,
  website: text,
  contact_type: text,
  customer_sub_type: text,
  status: text,
  first_name: text,
  last_name: text,
  email: text,
  phone: textOrNumber,
  mobile: textOrNumber,
  currency_id: optionalId,
  currency_code: text,
  language_code: text,
  outstanding_receivable_amount: amount,
  unused_credits_receivable_amount: amount,
  portal_status: text,
  custom_fields: z
    .array(customFieldSchema)
    .nullish()
    .transform((v) => v ?? undefined),
  created_time: text,
  last_modified_time: text,
});
export type ZohoContactSummary = z.output<typeof contactSummarySchema>;

export const addressSchema = z.object({
  address_id: optionalId,
  attention: text,
  address: text,
  street2: text,
  state_code: text,
  city: text,
  state: text,
  zip: textOrNumber,
  country: text,
  fax: textOrNumber,
  phone: textOrNumber,
});
export type ZohoAddress = z.output<typeof addressSchema>;

export const contactPersonSchema = z.object({
  contact_person_id: optionalId,
  salutation: text,
  first_name: text,
  last_name: text,
  email: text,
  phone: textOrNumber,
  mobile: textOrNumber,
  designation: text,
  department: text,
  is_primary_contact: flag,
});
export type ZohoContactPerson = z.output<typeof contactPersonSchema>;

/** An address block Zoho may send as {} or leave out; an empty string is treated as missing. */
const optionalAddress = z
  .union([addressSchema, z.literal('')])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? undefined : v));

/** One contact from the single-contact call: the summary plus addresses, persons and notes. */
export const contactDetailSchema = contactSummarySchema.extend({
  billing_address: optionalAddress,
  shipping_address: optionalAddress,
  contact_persons: z
    .array(contactPersonSchema)
    .nullish()
    .transform((v) => v ?? undefined),
  notes: text,
});
export type ZohoContactDetail = z.output<typeof contactDetailSchema>;

export const organizationsReplySchema = z.object({
  organizations: z.array(organizationSchema),
});

export const contactsPageReplySchema = z.object({
  contacts: z.array(contactSummarySchema),
  page_context: pageContextSchema,
});

export const contactReplySchema = z.object({
  contact: contactDetailSchema,
});

/** "contacts[17].email: expected string, received number" — the first problem of a reply, for people. */
export function describeSchemaProblem(error: z.ZodError): string {
  const [first] = error.issues;
  if (!first) return 'unexpected shape';
  const path = first.path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc === '' ? String(part) : `${acc}.${String(part)}`;
  }, '');
  const message = first.message.replace(/^Invalid input:\s*/i, '');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return `${path || '(reply)'}: ${message}${more}`;
}
