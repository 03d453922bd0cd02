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

/**
 * Zoho's daily API call caps by plan (reference: 1,000 free, 2,500 Standard, 5,000 Professional),
 * counted per organization. "custom" keeps a cap the user typed.
 */
export const zohoPlans = ['free', 'standard', 'professional', 'custom'] as const;
export const zohoPlanSchema = z.enum(zohoPlans);
export type ZohoPlan = z.infer<typeof zohoPlanSchema>;
export const planDailyCaps: Record<Exclude<ZohoPlan, 'custom'>, number> = { free: 1000, standard: 2500, professional: 5000 };
export const zohoPlanLabels: Record<ZohoPlan, string> = {
  free: 'Free (1,000 calls a day)',
  standard: 'Standard (2,500 calls a day)',
  professional: 'Professional (5,000 calls a day)',
  custom: 'Custom cap',
};

export const apiBudgetInputSchema = z
  .object({ plan: zohoPlanSchema, dailyCap: z.number().int().min(10).max(10_000_000).optional() })
  .strict()
  .refine((b) => b.plan !== 'custom' || b.dailyCap !== undefined, { message: 'A custom plan needs a daily cap', path: ['dailyCap'] })
  .refine((b) => b.plan === 'custom' || b.dailyCap === undefined, {
    message: "A plan's cap is fixed; choose the custom plan to set a cap", path: ['dailyCap'],
  });
export type ApiBudgetInput = z.infer<typeof apiBudgetInputSchema>;

/** Today's API use of an account, per organization, against its daily cap (days are UTC days). */
export const apiBudgetSchema = z.object({
  plan: zohoPlanSchema,
  dailyCap: z.number().int(),
  /** Start of the next UTC day, when the counts start again. */
  resetsAt: z.string(),
  usage: z.array(z.object({ organizationId: z.string(), used: z.number().int() })),
});
export type ApiBudget = z.infer<typeof apiBudgetSchema>;

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
  budget: apiBudgetSchema,
});
export type Account = z.infer<typeof accountSchema>;

export function keyLast4(key: string): string {
  return key.slice(-4);
}
