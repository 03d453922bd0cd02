import roleLocalParts from 'role-based-email-addresses';

/**
 * Role and group addresses (info@, support@, careers@ …): ignored as "Group email".
 * The base list is Mixmax's maintained `role-based-email-addresses` (≈1,000 prefixes, a superset of
 * Mailchimp's 35 and Zoho's examples); users add prefixes and approve single-address exceptions.
 */
export interface RolePolicy {
  extraPrefixes: readonly string[];
  /** Full addresses (normalized) that are people despite a role-like local part. */
  exceptions: readonly string[];
}

export interface RoleMatch {
  /** The prefix that matched, e.g. "support". */
  prefix: string;
  source: 'built-in list' | 'your list';
}

const builtIn: ReadonlySet<string> = new Set((roleLocalParts as string[]).map((p) => p.toLowerCase()));

export function builtInRolePrefixes(): readonly string[] {
  return [...builtIn].sort();
}

export class RoleAddressMatcher {
  private readonly extra: Set<string>;
  private readonly exceptions: Set<string>;

  constructor(policy: RolePolicy = { extraPrefixes: [], exceptions: [] }) {
    this.extra = new Set(policy.extraPrefixes.map((p) => p.trim().toLowerCase()).filter(Boolean));
    this.exceptions = new Set(policy.exceptions.map((a) => a.trim().toLowerCase()));
  }

  /** `normalized` is a valid, lower-cased address. A "+tag" does not hide a role (info+eu@). */
  match(normalized: string): RoleMatch | null {
    if (this.exceptions.has(normalized)) return null;
    const local = normalized.slice(0, normalized.indexOf('@')).split('+')[0] ?? '';
    if (builtIn.has(local)) return { prefix: local, source: 'built-in list' };
    if (this.extra.has(local)) return { prefix: local, source: 'your list' };
    return null;
  }
}
