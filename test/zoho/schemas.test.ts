import { describe, expect, it } from 'vitest';
import {
  contactDetailSchema, contactSummarySchema, describeSchemaProblem, organizationSchema,
} from '../../main/core/zoho';
import { contactsPageReplySchema } from '../../main/core/zoho/schemas';

describe('reply schemas', () => {
  it('accepts IDs and zips as numbers and gives strings', () => {
    const detail = contactDetailSchema.parse({
      contact_id: 460000000026049,
      billing_address: { zip: 94588, country: 'U.S.A' },
      contact_persons: [{ contact_person_id: 460000000026051, email: 'a@example.com', is_primary_contact: true }],
      custom_fields: [{ customfield_id: 460000000080163, index: '1', label: 'Tier', value: 'Gold', api_name: 'cf_tier' }],
    });
    expect(detail.contact_id).toBe('460000000026049');
    expect(detail.billing_address?.zip).toBe('94588');
    expect(detail.contact_persons?.[0]?.contact_person_id).toBe('460000000026051');
    expect(detail.custom_fields?.[0]).toMatchObject({ customfield_id: '460000000080163', index: 1 });
    expect(organizationSchema.parse({ organization_id: 10234695, name: 'Zylker' }).organization_id).toBe('10234695');
  });

  it('tolerates missing, null and empty optional fields', () => {
    const s = contactSummarySchema.parse({ contact_id: '1', email: null, company_name: '', custom_fields: null, phone: null });
    expect(s).toMatchObject({ contact_id: '1', company_name: '' });
    expect(s.email).toBeUndefined();
    expect(s.custom_fields).toBeUndefined();
    const d = contactDetailSchema.parse({ contact_id: '1', billing_address: null, shipping_address: '', notes: null });
    expect(d.billing_address).toBeUndefined();
    expect(d.shipping_address).toBeUndefined();
  });

  it('drops unknown fields from the typed result', () => {
    const s = contactSummarySchema.parse({ contact_id: '1', email: 'a@example.com', twitter: '@a', cf_tier: 'Gold' }) as Record<string, unknown>;
    expect(s).not.toHaveProperty('twitter');
    expect(s).not.toHaveProperty('cf_tier');
  });

  it('names the first problem of a wrong shape with its path', () => {
    const wrongEmail = contactsPageReplySchema.safeParse({
      contacts: [{ contact_id: '1', email: 'a@example.com' }, { contact_id: '2', email: 4155550123 }],
      page_context: { page: 1, has_more_page: false },
    });
    expect(wrongEmail.success).toBe(false);
    if (!wrongEmail.success) expect(describeSchemaProblem(wrongEmail.error)).toBe('contacts[1].email: expected string, received number');
    const notAList = contactsPageReplySchema.safeParse({ contacts: { a: 1 }, page_context: { has_more_page: false } });
    if (!notAList.success) expect(describeSchemaProblem(notAList.error)).toBe('contacts: expected array, received object');
    const noContext = contactsPageReplySchema.safeParse({ contacts: [] });
    if (!noContext.success) expect(describeSchemaProblem(noContext.error)).toMatch(/^page_context: expected object/);
    const noId = contactsPageReplySchema.safeParse({ contacts: [{ email: 'a@b.c' }], page_context: { has_more_page: true } });
    if (!noId.success) expect(describeSchemaProblem(noId.error)).toMatch(/^contacts\[0\]\.contact_id/);
  });
});
