import { normalizeEmail } from '../../common/domain/contact';
import type { IgnoreReason } from '../../common/domain/outcome';
import type { ReviewCause } from '../../common/domain/review';
import type { ReaddPolicy } from '../../common/domain/sync';
import type { ContactRow, GuardFacts } from '../store';
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

/** Why a returning contact is held back, and the queue entry to write or that already stands. */
export type Hold =
  | { write: true; cause: ReviewCause; leftAt: string | null }
  | { write: false; reviewId: number };

export type Decision =
  | { kind: 'ignored'; reason: IgnoreReason; record: CandidateRecord; email: string | null; detail: string | null; contact?: ContactRow }
  | { kind: 'new'; record: CandidateRecord; email: string; detail: string | null }
  /**
   * `member`: already in the sync's list (known from the lookup made in the same tick as the
   * write, so no insert is needed); `exitedAt`: a member marked exited, which matching again clears.
   */
  | { kind: 'duplicate'; record: CandidateRecord; email: string; detail: string | null; contact: ContactRow; member: boolean; exitedAt: string | null }
  /** A returning contact that joins; `pendingId`: an entry still waiting for this list (an earlier review policy, or another sync's), now moot. */
  | { kind: 'readded'; record: CandidateRecord; email: string; detail: string | null; contact: ContactRow; pendingId: number | null }
  | { kind: 'held'; record: CandidateRecord; email: string; detail: string; contact: ContactRow; hold: Hold };

/** What classification needs to know beyond the record itself. */
export interface ClassifyContext {
  roles: RoleAddressMatcher;
  /** Addresses (normalized) that earlier pages of this run already had. */
  seenInEarlierPages: ReadonlySet<string>;
  /** Existing contacts among the page's addresses, by normalized address. */
  lookupContacts: (emails: readonly string[]) => Map<string, ContactRow>;
  /** The sync's re-subscription guard: its policy, and the facts about existing contacts. */
  readdPolicy: ReaddPolicy;
  lookupGuard: (contactIds: readonly number[]) => Map<number, GuardFacts>;
}

function caseNote(raw: string, normalized: string, into: string): string | null {
  return raw !== normalized ? `${raw} merged into ${into}` : null;
}

/**
 * Gives every record exactly one outcome, first match wins, in the order of sync-rules.md:
 * empty, invalid pattern, file duplicate, group, bounced, do-not-mail, then the re-subscription guard
 * (re-added or held), duplicate, new.
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

  const pendingEmails: string[] = [];
  for (const d of decisions) if ('pending' in d) pendingEmails.push(d.email);
  const contacts = pendingEmails.length > 0 ? ctx.lookupContacts(pendingEmails) : new Map<string, ContactRow>();
  const guardIds: number[] = [];
  for (const c of contacts.values()) if (c.state === 'active' || c.state === 'deleted') guardIds.push(c.id);
  const guard = guardIds.length > 0 ? ctx.lookupGuard(guardIds) : new Map<number, GuardFacts>();
  return decisions.map((d): Decision => {
    if (!('pending' in d)) return d;
    const { pending: record, email } = d;
    const contact = contacts.get(email);
    const merge = caseNote(record.rawEmail.trim(), email, contact ? `existing ${email}` : email);
    if (!contact) return { kind: 'new', record, email, detail: merge };
    if (contact.state === 'bounced') {
      return { kind: 'ignored', reason: 'bounced', record, email, contact, detail: 'This address is marked bounced' };
    }
    if (contact.state === 'do-not-mail') {
      return { kind: 'ignored', reason: 'do_not_mail', record, email, contact, detail: 'This address is marked do-not-mail' };
    }
    return guardDecision(record, email, contact, guard.get(contact.id), ctx.readdPolicy, merge);
  });
}

const day = (iso: string) => iso.slice(0, 10);
const withNote = (text: string, note: string | null) => (note ? `${text} (${note})` : text);

/**
 * The re-subscription guard for an active or deleted contact. It returns when it was deleted, or
 * when it left this list while staying active (the user took it out, a deletion in Zoho Invoice
 * did while another list kept it, or an undo did); a rejection in this list's review keeps it out
 * for good; otherwise the sync's policy says whether it joins at once or waits in the review queue.
 */
function guardDecision(
  record: CandidateRecord, email: string, contact: ContactRow, facts: GuardFacts | undefined, policy: ReaddPolicy, merge: string | null,
): Decision {
  const f: GuardFacts = facts ?? { member: false, exitedAt: null, removedAt: null, removalCause: null, undoneRun: null, pending: null, lastDecision: null };
  const deleted = contact.state === 'deleted';
  const removedAt = f.removedAt;
  if (f.member) {
    // Still in the list: nothing to guard. (A deletion takes a contact out of its list, so a deleted
    // member is only left by older data; it becomes active again, as the seed does.)
    return deleted
      ? { kind: 'readded', record, email, contact, detail: merge, pendingId: null }
      : { kind: 'duplicate', record, email, contact, detail: merge, member: true, exitedAt: f.exitedAt };
  }
  if (f.lastDecision?.status === 'rejected' && !f.pending) {
    return {
      kind: 'held', record, email, contact, hold: { write: false, reviewId: f.lastDecision.id },
      detail: withNote(`Rejected in review on ${day(f.lastDecision.decidedAt)}; stays out`, merge),
    };
  }
  if (!deleted && removedAt === null) return { kind: 'duplicate', record, email, contact, detail: merge, member: false, exitedAt: null };
  // Deletion comes first (the cause); a deleted contact's last change is its deletion.
  const leftAt = deleted || removedAt === null ? contact.updated_at : removedAt;
  const { cause, why } = deleted || removedAt === null
    ? { cause: 'deleted' as const, why: `Deleted on ${day(leftAt)}` }
    : removalWhy(f, leftAt);
  if (policy === 'join') {
    return { kind: 'readded', record, email, contact, pendingId: f.pending?.id ?? null, detail: withNote(`${why}; re-added by this sync`, merge) };
  }
  if (f.pending) {
    return {
      kind: 'held', record, email, contact, hold: { write: false, reviewId: f.pending.id },
      detail: withNote(`Waiting in the review queue since ${day(f.pending.heldAt)}`, merge),
    };
  }
  return {
    kind: 'held', record, email, contact, hold: { write: true, cause, leftAt },
    detail: withNote(`${why}; waiting in the review queue`, merge),
  };
}

/** Why an active contact is outside the list, by the cause its list_removals row records. */
function removalWhy(f: GuardFacts, at: string): { cause: ReviewCause; why: string } {
  switch (f.removalCause) {
    case 'deleted':
      return { cause: 'deleted', why: `Deleted in Zoho Invoice on ${day(at)}` };
    case 'undo':
      return { cause: 'removed-from-list', why: `Taken out by undoing run #${f.undoneRun ?? '?'} on ${day(at)}` };
    default:
      return { cause: 'removed-from-list', why: `You removed it from this list on ${day(at)}` };
  }
}

/** The emails of a page's decisions that later pages must treat as already seen. */
export function addressesSeen(decisions: readonly Decision[]): string[] {
  const emails: string[] = [];
  for (const d of decisions) {
    if (d.email !== null && !(d.kind === 'ignored' && (d.reason === 'invalid' || d.reason === 'empty' || d.reason === 'file_duplicate'))) {
      emails.push(d.email);
    }
  }
  return emails;
}
