import type { Database, Statement } from 'better-sqlite3';
import type { ImportOption } from '../../common/domain/criteria';
import type { ExitPolicy } from '../../common/domain/sync';
import type { OutcomeWrite } from '../store';
import { MemberReader, type MemberSnapshot } from './deletions';
import type { SourceContact } from './sourceRecord';

/** Why a contact this sync brought in stopped matching it. */
export type ExitCause = 'criteria' | 'inactive';

/** A record this run read that the sync no longer selects. */
export interface ExitCandidate {
  sourceId: string;
  sourceName: string | null;
  cause: ExitCause;
}

/**
 * What an exit changed, for undo: the policy, whether the contact left the list (with the
 * membership to put back) or was marked, and the source mapping that was forgotten.
 */
export interface ExitUndo {
  exited: ExitPolicy;
  cause: ExitCause;
  left: boolean;
  marked: boolean;
  sourceId: string;
  /** The membership as it was (left or marked); null when the contact was not this sync's member. */
  member: MemberSnapshot | null;
  /** When the batch was written (absent in a dry run's preview). */
  at?: string;
}

export function isInactiveInZoho(contact: SourceContact): boolean {
  return typeof contact.status === 'string' && contact.status.trim().toLowerCase() === 'inactive';
}

/**
 * Whether inactive Zoho contacts are left out of the sync: always, unless its criteria test the
 * Status field themselves (a sync built on "Status is Inactive" means it).
 */
export function skipsInactive(importOption: ImportOption): boolean {
  return importOption.kind !== 'criteria' || !importOption.criteria.conditions.some((c) => c.field === 'status');
}

/** The records of a page that were read but not selected, with why. */
export function unselected(read: readonly SourceContact[], selectedIds: ReadonlySet<string>, skipInactive: boolean): ExitCandidate[] {
  const out: ExitCandidate[] = [];
  for (const c of read) {
    if (selectedIds.has(c.contact_id)) continue;
    const name = typeof c.contact_name === 'string' && c.contact_name.trim() !== '' ? c.contact_name.trim() : null;
    out.push({ sourceId: c.contact_id, sourceName: name, cause: skipInactive && isInactiveInZoho(c) ? 'inactive' : 'criteria' });
  }
  return out;
}

const causeText: Record<ExitCause, string> = {
  criteria: 'No longer matches the sync\'s criteria',
  inactive: 'Made inactive in Zoho Invoice',
};

interface PlannedExit {
  candidate: ExitCandidate;
  contactId: number;
  email: string;
  /** This sync's membership of the contact in its list, if it is one. */
  member: MemberSnapshot | null;
  /** No exit when the contact is not on the list (the user took it out), or when another Zoho contact of this sync still carries the address. */
  counted: boolean;
}

/**
 * Criteria exit: contacts this sync brought in (a sync_sources row) whose Zoho contact it no longer
 * selects. Each is counted Exited once and, per the sync's exit policy, kept, removed from the list
 * (when this sync added it), or kept and marked.
 */
export class ExitWriter {
  private readonly known: Statement;
  private readonly otherSources: Statement;
  private readonly email: Statement;
  private readonly members: MemberReader;
  private readonly forget: Statement;
  private readonly flag: Statement;
  private readonly leave: Statement;
  private readonly mark: Statement;

  constructor(db: Database, private readonly sync: { id: string; listId: string; exitPolicy: ExitPolicy }) {
    this.known = db.prepare(
      'SELECT source_id, contact_id FROM sync_sources WHERE sync_id = ? AND exited_at IS NULL AND source_id IN (SELECT value FROM json_each(?))',
    );
    this.otherSources = db
      .prepare('SELECT source_id FROM sync_sources WHERE sync_id = ? AND contact_id = ? AND source_id <> ? AND exited_at IS NULL')
      .pluck();
    this.email = db.prepare('SELECT email FROM contacts WHERE id = ?').pluck();
    this.members = new MemberReader(db);
    this.forget = db.prepare('DELETE FROM sync_sources WHERE sync_id = ? AND source_id = ?');
    this.flag = db.prepare('UPDATE sync_sources SET exited_at = ? WHERE sync_id = ? AND source_id = ?');
    this.leave = db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?');
    this.mark = db.prepare('UPDATE list_members SET exited_at = ? WHERE list_id = ? AND contact_id = ? AND exited_at IS NULL');
  }

  /**
   * The candidates that are this sync's live sources, in order, each decided after the ones before
   * it: of two Zoho contacts with one address that both stop matching, the second is the exit.
   */
  private plan(candidates: readonly ExitCandidate[]): PlannedExit[] {
    if (candidates.length === 0) return [];
    const rows = this.known.all(this.sync.id, JSON.stringify(candidates.map((c) => c.sourceId))) as Array<{ source_id: string; contact_id: number }>;
    if (rows.length === 0) return [];
    const contactOf = new Map(rows.map((r) => [r.source_id, r.contact_id]));
    const gone = new Set<string>();
    const planned: PlannedExit[] = [];
    for (const candidate of candidates) {
      const contactId = contactOf.get(candidate.sourceId);
      if (contactId === undefined || gone.has(candidate.sourceId)) continue;
      gone.add(candidate.sourceId);
      const member = this.members.get(this.sync.listId, contactId);
      const others = this.otherSources.all(this.sync.id, contactId, candidate.sourceId) as string[];
      planned.push({
        candidate, contactId, email: this.email.get(contactId) as string,
        member: member && member.syncId === this.sync.id ? member : null,
        counted: member !== null && others.every((id) => gone.has(id)),
      });
    }
    return planned;
  }

  /**
   * Applies the exits inside the caller's transaction; returns their outcome rows. The source
   * stays known, flagged exited, while the contact stays in the list (kept or marked): it is not
   * counted again, and the deletion check still sees it. A contact removed from the list is forgotten.
   */
  apply(candidates: readonly ExitCandidate[], now: string): OutcomeWrite[] {
    const outcomes: OutcomeWrite[] = [];
    for (const p of this.plan(candidates)) {
      const policy = this.sync.exitPolicy;
      const left = p.counted && policy === 'remove' && p.member !== null && this.leave.run(this.sync.listId, p.contactId).changes > 0;
      if (policy === 'remove') this.forget.run(this.sync.id, p.candidate.sourceId);
      else this.flag.run(now, this.sync.id, p.candidate.sourceId);
      if (!p.counted) continue;
      const marked = policy === 'mark' && p.member !== null && this.mark.run(now, this.sync.listId, p.contactId).changes > 0;
      outcomes.push(this.outcome(p, left, marked, now));
    }
    return outcomes;
  }

  /** What apply() would do, writing nothing (dry run). */
  preview(candidates: readonly ExitCandidate[]): OutcomeWrite[] {
    return this.plan(candidates)
      .filter((p) => p.counted)
      .map((p) => {
        const policy = this.sync.exitPolicy;
        return this.outcome(p, policy === 'remove' && p.member !== null, policy === 'mark' && p.member !== null && p.member.exitedAt === null);
      });
  }

  private outcome(p: PlannedExit, left: boolean, marked: boolean, at?: string): OutcomeWrite {
    const policy = this.sync.exitPolicy;
    let what: string;
    if (left) what = 'removed from the list';
    else if (marked) what = 'kept in the list, marked "no longer matches"';
    else if (p.member === null) what = policy === 'keep' ? 'kept in the list' : 'kept (this sync did not add it to the list)';
    else what = p.member.exitedAt ? 'kept in the list, already marked' : 'kept in the list';
    const undo: ExitUndo = {
      exited: policy, cause: p.candidate.cause, left, marked, sourceId: p.candidate.sourceId, member: left || marked ? p.member : null,
      ...(at === undefined ? {} : { at }),
    };
    return {
      outcome: 'exited', reason: null, email: p.email, sourceId: p.candidate.sourceId, sourceName: p.candidate.sourceName,
      contactId: p.contactId, detail: `${causeText[p.candidate.cause]}: ${what}`, undo: JSON.stringify(undo),
    };
  }
}
