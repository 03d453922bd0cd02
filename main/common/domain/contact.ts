import { z } from 'zod';

/** A contact's standing in ListSync; decides outcomes 5–9 of the sync rules. */
export const contactStates = ['active', 'bounced', 'do-not-mail', 'deleted'] as const;
export const contactStateSchema = z.enum(contactStates);
export type ContactState = z.infer<typeof contactStateSchema>;

/** Contacts are keyed by email, compared case-insensitively after trimming. */
export function normalizeEmail(address: string): string {
  return address.trim().toLowerCase();
}
