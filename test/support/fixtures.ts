/** Hand-written Zoho Invoice contacts for tests whose expected counts are obvious from the data. */
export interface FixtureContact {
  contact_id: string;
  contact_name: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  company_name?: string;
  created_time: string;
  last_modified_time: string;
  billing_address?: { country?: string; city?: string };
  custom_fields?: Array<{ customfield_id: string; index: number; label: string; value: string; api_name: string }>;
}

let counter = 0;

/** A contact created `minute` minutes after 2025-01-01T00:00 India time (Zoho's time format). */
export function fixture(name: string, email: string | undefined, extra: Partial<FixtureContact> = {}): FixtureContact {
  counter += 1;
  const minute = extra.created_time ? 0 : counter;
  const time = new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString().replace(/\.\d{3}Z$/, '+0000');
  const [first = '', last = ''] = name.split(' ');
  return {
    contact_id: extra.contact_id ?? String(460000000000000 + counter),
    contact_name: name,
    first_name: first,
    last_name: last,
    ...(email === undefined ? {} : { email }),
    created_time: time,
    last_modified_time: time,
    ...extra,
  };
}
