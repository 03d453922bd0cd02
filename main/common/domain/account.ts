import { z } from 'zod';

export const dataCenterIds = ['us', 'eu', 'in', 'au', 'jp', 'ca', 'sa', 'cn'] as const;
export const dataCenterSchema = z.enum(dataCenterIds);
export type DataCenterId = z.infer<typeof dataCenterSchema>;

export const dataCenterLabels: Record<DataCenterId, string> = {
  us: 'United States (zoho.com)',
  eu: 'Europe (zoho.eu)',
  in: 'India (zoho.in)',
  au: 'Australia (zoho.com.au)',
  jp: 'Japan (zoho.jp)',
  ca: 'Canada (zohocloud.ca)',
  sa: 'Saudi Arabia (zoho.sa)',
  cn: 'China (zoho.com.cn)',
};

/** Where an account's Zoho Invoice API lives: a data center, or a custom root (the sandbox). */
export const accountEndpointSchema = z.union([
  z.object({ dataCenter: dataCenterSchema }).strict(),
  z.object({ baseUrl: z.string().url().max(500) }).strict(),
]);
export type AccountEndpoint = z.infer<typeof accountEndpointSchema>;

export const accountNameSchema = z.string().trim().min(1, 'Give the account a name').max(100);

/** A ZSC key as typed or pasted by a person: surrounding blanks are dropped. */
export const zscKeySchema = z
  .string()
  .trim()
  .min(8, 'A ZSC key is at least 8 characters')
  .max(512, 'That is too long for a ZSC key')
  .regex(/^[\x21-\x7e]+$/, 'A ZSC key has no spaces or special characters');

export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  dataCenter: dataCenterSchema.nullable(),
  baseUrl: z.string().nullable(),
  /** Only the last four characters of the key ever leave the key store. */
  keyLast4: z.string(),
  createdAt: z.string(),
  syncCount: z.number().int(),
  inactiveSyncCount: z.number().int(),
  isDemo: z.boolean(),
});
export type Account = z.infer<typeof accountSchema>;

export function keyLast4(key: string): string {
  return key.slice(-4);
}
