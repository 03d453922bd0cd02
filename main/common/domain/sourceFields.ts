import { z } from 'zod';

/**
 * A field of a Zoho Invoice contact that criteria and mappings can name.
 * `path` is how the engine reads it: a summary key ("email"), a detail path
 * ("billing_address.country") or a custom field ("custom:cf_tier").
 */
export const sourceFieldSchema = z.object({
  path: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'date']),
  /** Present only in the single-contact reply: reading it costs one request per candidate. */
  needsDetail: z.boolean(),
});
export type SourceField = z.infer<typeof sourceFieldSchema>;

const summary = (path: string, label: string, kind: 'text' | 'date' = 'text'): SourceField =>
  ({ path, label, kind, needsDetail: false });
const detail = (path: string, label: string): SourceField => ({ path, label, kind: 'text', needsDetail: true });

/** The fields every Zoho Invoice contact has (custom fields are discovered per organization). */
export const standardSourceFields: readonly SourceField[] = [
  summary('email', 'Email'),
  summary('first_name', 'First name'),
  summary('last_name', 'Last name'),
  summary('contact_name', 'Contact name'),
  summary('company_name', 'Company name'),
  summary('phone', 'Phone'),
  summary('mobile', 'Mobile'),
  summary('contact_type', 'Contact type'),
  summary('status', 'Status'),
  summary('currency_code', 'Currency'),
  summary('created_time', 'Created time', 'date'),
  summary('last_modified_time', 'Last modified time', 'date'),
  detail('billing_address.country', 'Billing country'),
  detail('billing_address.state', 'Billing state'),
  detail('billing_address.city', 'Billing city'),
  detail('billing_address.zip', 'Billing zip'),
  detail('shipping_address.country', 'Shipping country'),
  detail('shipping_address.city', 'Shipping city'),
  detail('notes', 'Notes'),
];

/** The date field that incremental reads and recurring schedules depend on. */
export const changeDateField = 'last_modified_time';

export function customFieldPath(apiNameOrLabel: string): string {
  return `custom:${apiNameOrLabel}`;
}
