import { z } from 'zod';

/** A ListSync contact field: built in, or created on the spot from the mapping step. */
export const contactFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  builtin: z.boolean(),
});
export type ContactField = z.infer<typeof contactFieldSchema>;

export const builtinContactFields: readonly ContactField[] = [
  { key: 'email', label: 'Email', builtin: true },
  { key: 'first_name', label: 'First name', builtin: true },
  { key: 'last_name', label: 'Last name', builtin: true },
  { key: 'company', label: 'Company', builtin: true },
  { key: 'phone', label: 'Phone', builtin: true },
  { key: 'mobile', label: 'Mobile', builtin: true },
  { key: 'country', label: 'Country', builtin: true },
  { key: 'city', label: 'City', builtin: true },
];

export const fieldKeySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'Field keys are lower-case letters, digits and _ and start with a letter');

/** One line of a sync's field mapping: ListSync field ← Zoho Invoice field. */
export const mappingEntrySchema = z.object({ target: fieldKeySchema, source: z.string().min(1).max(200) }).strict();
export type MappingEntry = z.infer<typeof mappingEntrySchema>;

export const fieldMappingSchema = z
  .array(mappingEntrySchema)
  .min(1)
  .max(100)
  .refine((m) => m.some((e) => e.target === 'email'), { message: 'Mapping the email address is mandatory' })
  .refine((m) => new Set(m.map((e) => e.target)).size === m.length, {
    message: 'Each ListSync field can be mapped only once',
  });
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

/** The seed's pre-mapping: email, first name and last name (the names can be removed). */
export function defaultMapping(): FieldMapping {
  return [
    { target: 'email', source: 'email' },
    { target: 'first_name', source: 'first_name' },
    { target: 'last_name', source: 'last_name' },
  ];
}

/** How a sync treats fields of contacts that already exist here. */
export const updatePolicies = ['overwrite', 'fill-empty', 'never'] as const;
export const updatePolicySchema = z.enum(updatePolicies);
export type UpdatePolicy = z.infer<typeof updatePolicySchema>;

/**
 * The new value of one field of an existing contact.
 * - overwrite: a non-empty source value replaces ours; an empty one clears ours only when
 *   `updateEmptyValues` is on (Zoho's "Update empty field value").
 * - fill-empty: only fills fields that are empty here; never clears.
 * - never: existing contacts keep their fields.
 */
export function mergeFieldValue(
  policy: UpdatePolicy,
  updateEmptyValues: boolean,
  current: string,
  incoming: string,
): string {
  if (policy === 'never') return current;
  if (policy === 'fill-empty') return current === '' ? incoming : current;
  if (incoming === '') return updateEmptyValues ? '' : current;
  return incoming;
}
