import { z } from 'zod';
import { contactStateSchema } from './contact';

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
});
export type ListMember = z.infer<typeof listMemberSchema>;
