/** The IANA zones this browser knows, with the browser's own zone first-class. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

let cached: string[] | null = null;

export function timeZones(): string[] {
  if (cached) return cached;
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const own = browserTimeZone();
  const all = new Set(zones);
  all.add(own);
  all.add('UTC');
  cached = [...all].sort((a, b) => a.localeCompare(b));
  return cached;
}
