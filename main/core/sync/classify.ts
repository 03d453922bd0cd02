import { normalizeEmail } from '../../common/domain/contact';
import type { IgnoreReason } from '../../common/domain/outcome';
import type { ContactRow } from '../store';
import { checkEmail } from './emailValidity';
import type { RoleAddressMatcher } from './roleAddresses';

/** One fetched record that met the sync's criteria, ready to be classified. */
export interface CandidateRecord {
  sourceId: string;
  sourceName: string | null;
  /** The mapped email value as Zoho had it (trimmed, original case). */
  rawEmail: string;
  /** Mapped values by ListSync field key (email included). */
  values: Record<string, string>;
}

export type Decision =
  | { kind: 'ignored'; reason: IgnoreReason; record: CandidateRecord; email: string | null; detail: string | null; contact?: ContactRow }
  | { kind: 'new'; record: CandidateRecord; email: string; detail: string | null }
  | { kind: 'readded' | 'duplicate'; record: CandidateRecord; email: string; detail: string | null; contact: ContactRow };

/** What classification needs to know beyond the record itself. */
export interface ClassifyContext {
  roles: RoleAddressMatcher;
  /** Addresses (normalized) that earlier pages of this run already had. */
  seenInEarlierPages: ReadonlySet<string>;
  /** Existing contacts among the page's addresses, by normalized address. */
  lookupContacts: (emails: readonly string[]) => Map<string, ContactRow>;
}

function caseNote(raw: string, normalized: string, into: string): string | null {
  return raw !== normalized ? `${raw} merged into ${into}` : null;
}

/**
 * Gives every record exactly one outcome, first match wins, in the order of sync-rules.md:
 * empty, invalid pattern, file duplicate, group, bounced, do-not-mail, re-added, duplicate, new.
 */
export function classifyPage(records: readonly CandidateRecord[], ctx: ClassifyContext): Decision[] {
  const decisions: Array<Decision | { pending: CandidateRecord; email: string }> = [];
  const seenHere = new Set<string>();
  for (const record of records) {
    const raw = record.rawEmail.trim();
    if (raw === '') {
      decisions.push({ kind: 'ignored', reason: 'empty', record, email: null, detail: 'The email field is missing or blank' });
      continue;
    }
    const check = checkEmail(raw);
    if (!check.ok) {
      decisions.push({ kind: 'ignored', reason: 'invalid', record, email: raw, detail: check.message });
      continue;
    }
    const email = normalizeEmail(raw);
    if (seenHere.has(email) || ctx.seenInEarlierPages.has(email)) {
      const merge = caseNote(raw, email, email);
      decisions.push({
        kind: 'ignored', reason: 'file_duplicate', record, email,
        detail: `An earlier record of this run had the same address${merge ? ` (${merge})` : ''}`,
      });
      continue;
    }
    seenHere.add(email);
    const role = ctx.roles.match(email);
    if (role) {
      decisions.push({
        kind: 'ignored', reason: 'group', record, email,
        detail: `Role address: "${role.prefix}@" is on the ${role.source}`,
      });
      continue;
    }
    decisions.push({ pending: record, email });
  }

  const pendingEmails = decisions.flatMap((d) => ('pending' in d ? [d.email] : []));
  const contacts = pendingEmails.length > 0 ? ctx.lookupContacts(pendingEmails) : new Map<string, ContactRow>();
  return decisions.map((d): Decision => {
    if (!('pending' in d)) return d;
    const { pending: record, email } = d;
    const contact = contacts.get(email);
    const merge = caseNote(record.rawEmail.trim(), email, contact ? `existing ${email}` : email);
    if (!contact) return { kind: 'new', record, email, detail: merge };
    switch (contact.state) {
      case 'bounced':
        return { kind: 'ignored', reason: 'bounced', record, email, contact, detail: 'This address is marked bounced' };
      case 'do-not-mail':
        return { kind: 'ignored', reason: 'do_not_mail', record, email, contact, detail: 'This address is marked do-not-mail' };
      case 'deleted':
        return { kind: 'readded', record, email, contact, detail: merge };
      case 'active':
        return { kind: 'duplicate', record, email, contact, detail: merge };
    }
  });
}

/** The emails of a page's decisions that later pages must treat as already seen. */
export function addressesSeen(decisions: readonly Decision[]): string[] {
  return decisions.flatMap((d) =>
    d.email !== null && !(d.kind === 'ignored' && (d.reason === 'invalid' || d.reason === 'empty' || d.reason === 'file_duplicate'))
      ? [d.email]
      : [],
  );
}
