import { z } from 'zod';
import { contactStateSchema } from './contact';
import { subscriptionSchema } from './sync';

export const listNameSchema = z.string().trim().min(1, 'Give the list a name').max(120);

export const mailingListSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  memberCount: z.number().int(),
});
export type MailingList = z.infer<typeof mailingListSchema>;

export const listMemberSchema = z.object({
  contactId: z.number().int(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  state: contactStateSchema,
  fields: z.record(z.string(), z.string()),
  addedAt: z.string(),
  addedBySync: z.string().nullable(),
  /** Subscription type, topics and lawful basis recorded when the contact joined (null: added by hand). */
  subscription: subscriptionSchema.nullable(),
  /** Set when the contact stopped matching its sync and the sync marks such contacts. */
  exitedAt: z.string().nullable(),
});
export type ListMember = z.infer<typeof listMemberSchema>;
