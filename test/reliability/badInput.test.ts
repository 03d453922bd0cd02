// Campaign 3: hostile values through the engine. Every corpus case (corpus.ts) is either stored
// faithfully — in the database, in what the UI is sent, in CSV exports, and unchanged by a
// re-run — or rejected with the reason the rules give. Nothing else in the database moves.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../main/common/domain/contact';
import { defaultMapping } from '../../main/common/domain/mapping';
import type { OutcomeRecord } from '../../main/common/domain/outcome';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { emailDefects } from '../../main/core/sync/emailValidity';
import { createHarness, type Harness } from '../support/harness';
import { acceptedEmails, caseDuplicateEmails, corpusCases, corpusContacts, hostileTexts, rejectedEmails, wellFormed, type CorpusCase } from './corpus';
import { printCampaign } from './support';

const org = '9300001';
const counts = { tried: 0, recovered: 0, failedCleanly: 0, lost: 0, storedFaithfully: 0, rejectedWithReason: 0 };
const cases = corpusCases();

/** A stored text is the trimmed value; SQLite's UTF-8 cannot hold a lone surrogate, which becomes U+FFFD. */
function expectFaithful(actual: unknown, value: string, what: string): void {
  const trimmed = value.trim();
  expect(actual === trimmed || actual === wellFormed(trimmed), `${what}: stored ${JSON.stringify(String(actual).slice(0, 80))}`).toBe(true);
}

describe('bad input campaign', () => {
  let h: Harness;
  let syncId: string;
  let listId: string;
  let runId: number;
  let outcomes: Map<string, OutcomeRecord>;
  let tablesBefore: unknown[];

  beforeAll(async () => {
    h = await createHarness({ organizations: [{ organization_id: org, name: 'Hostile Inc', contacts: corpusContacts() }], secrets: new MemorySecretStore() });
    const accountId = await h.addAccount();
    listId = await h.addList('Hostile');
    syncId = await h.addSync({
      accountId, listId, organizationId: org, name: 'hostile',
      mapping: [...defaultMapping(), { target: 'company', source: 'company_name' }],
    });
    tablesBefore = h.core.store.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const result = await h.core.runAndWait(syncId, 'manual');
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    runId = result.runId!;
    outcomes = new Map([...h.core.store.runs.iterateOutcomes(runId, {})].map((o) => [o.sourceContactId ?? '', o]));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    printCampaign('bad input', counts, {
      cases: cases.length, rejectedEmails: rejectedEmails.length, acceptedEmails: acceptedEmails.length + caseDuplicateEmails.length, texts: hostileTexts.length,
    });
  });

  it('gives every corpus record exactly one outcome, with the counts adding up', () => {
    const run = h.core.store.runs.get(runId)!;
    expect(run.counts.total).toBe(cases.length);
    expect(outcomes.size).toBe(cases.length);
    expect(run.counts.new).toBe(acceptedEmails.length + hostileTexts.length);
    expect(run.counts.ignored_by_reason.empty).toBe(rejectedEmails.filter((c) => c.reason === 'empty').length);
    expect(run.counts.ignored_by_reason.invalid).toBe(rejectedEmails.filter((c) => c.reason === 'invalid').length);
    expect(run.counts.ignored_by_reason.file_duplicate).toBe(caseDuplicateEmails.length);
  });

  it('rejects every invalid form the rules name, with the reason, and writes no contact for it', () => {
    const contactCount = h.core.store.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get();
    for (const c of cases.filter((x): x is Extract<CorpusCase, { kind: 'rejected' }> => x.kind === 'rejected')) {
      counts.tried += 1;
      const o = outcomes.get(c.contactId);
      expect(o, c.case.label).toBeDefined();
      expect({ label: c.case.label, outcome: o!.outcome, reason: o!.reason }).toEqual({ label: c.case.label, outcome: 'ignored', reason: c.case.reason });
      if (c.case.defect) expect(o!.detail, c.case.label).toBe(`The address ${emailDefects[c.case.defect]}`);
      else expect(o!.detail).toMatch(/missing or blank/);
      counts.rejectedWithReason += 1;
      counts.failedCleanly += 1;
    }
    expect(contactCount).toBe(acceptedEmails.length + hostileTexts.length);
  });

  it('stores unicode, IDN and unusual valid addresses under their normalized form; other letter cases are file duplicates', () => {
    for (const c of cases) {
      if (c.kind !== 'accepted' && c.kind !== 'case-duplicate') continue;
      counts.tried += 1;
      const o = outcomes.get(c.contactId)!;
      expect(normalizeEmail(c.case.value)).toBe(c.case.stored);
      if (c.kind === 'accepted') {
        expect({ label: c.case.label, outcome: o.outcome }).toEqual({ label: c.case.label, outcome: 'new' });
        const row = h.core.store.contacts.byEmails([c.case.stored]).get(c.case.stored);
        expect(row?.state, c.case.label).toBe('active');
        counts.storedFaithfully += 1;
        counts.recovered += 1;
      } else {
        expect({ label: c.case.label, outcome: o.outcome, reason: o.reason }).toEqual({ label: c.case.label, outcome: 'ignored', reason: 'file_duplicate' });
        counts.rejectedWithReason += 1;
        counts.failedCleanly += 1;
      }
    }
  });

  it('stores hostile names and fields faithfully (HTML, SQL, RTL, NUL, 1 MB …) and runs none of them', () => {
    const byEmail = h.core.store.contacts.byEmails(cases.flatMap((c) => (c.kind === 'text' ? [c.email] : [])));
    for (const c of cases) {
      if (c.kind !== 'text') continue;
      counts.tried += 1;
      const o = outcomes.get(c.contactId)!;
      expect({ label: c.case.label, outcome: o.outcome }).toEqual({ label: c.case.label, outcome: 'new' });
      expectFaithful(o.sourceName, c.case.value, `${c.case.label} (outcome's name)`);
      const row = byEmail.get(c.email)!;
      expectFaithful(row.first_name, c.case.value, `${c.case.label} (first name)`);
      expectFaithful(row.last_name, c.case.value, `${c.case.label} (last name)`);
      expectFaithful((JSON.parse(row.fields) as Record<string, string>).company, c.case.value, `${c.case.label} (company)`);
      counts.storedFaithfully += 1;
      counts.recovered += 1;
    }
    // SQL-like values ran nothing: the schema is as it was and the database is sound.
    expect(h.core.store.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(tablesBefore);
    expect(h.core.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(h.core.store.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('sends the same values to the UI and writes them to CSV (formulas neutralized with a leading \')', async () => {
    const members = await h.call('lists.members', { listId, offset: 0, limit: 1000 });
    expect(members.total).toBe(acceptedEmails.length + hostileTexts.length);
    const csv = await h.call('lists.exportCsv', { listId });
    const rows = parse(csv.csv, { columns: true, relax_quotes: false }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(members.total);
    const unformula = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);
    for (const c of cases) {
      if (c.kind !== 'text') continue;
      const m = members.members.find((x) => x.email === c.email)!;
      expectFaithful(m.firstName, c.case.value, `${c.case.label} (IPC first name)`);
      expectFaithful(m.fields.company, c.case.value, `${c.case.label} (IPC company)`);
      const row = rows.find((r) => r.email === c.email)!;
      if (/^[=+\-@]/.test(c.case.value.trim())) expect(row.first_name?.startsWith("'"), c.case.label).toBe(true);
      expectFaithful(unformula(row.first_name ?? ''), c.case.value, `${c.case.label} (CSV first name)`);
      expectFaithful(unformula(row.company ?? ''), c.case.value, `${c.case.label} (CSV company)`);
    }
    // The run's outcomes export carries the rejected addresses and their reasons.
    const ignored = await h.call('runs.exportCsv', { runId, outcome: 'ignored' });
    expect(ignored.rows).toBe(rejectedEmails.length + caseDuplicateEmails.length);
  });

  it('a re-run finds every stored value equal to the source: all duplicates, nothing rewritten', async () => {
    const before = h.core.store.db.prepare('SELECT id, email, state, first_name, last_name, fields, updated_at FROM contacts ORDER BY id').all();
    const again = await h.core.runAndWait(syncId, 'manual');
    expect(again.status).toBe('succeeded');
    expect(again.counts).toMatchObject({ total: cases.length, new: 0, duplicate: acceptedEmails.length + hostileTexts.length });
    expect(h.core.store.db.prepare('SELECT id, email, state, first_name, last_name, fields, updated_at FROM contacts ORDER BY id').all()).toEqual(before);
  });

  it('the same addresses typed into the app (mark, suppression import) are refused with the same reasons', async () => {
    for (const c of rejectedEmails) {
      if (typeof c.value !== 'string') continue;
      counts.tried += 1;
      const reply = await h.core.call('contacts.mark', { email: c.value, state: 'bounced' });
      expect(reply.ok, c.label).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code).toBe('invalid-request');
        if (c.defect && c.value.length <= 320) expect(reply.error.message, c.label).toContain(emailDefects[c.defect]);
      }
      counts.rejectedWithReason += 1;
      counts.failedCleanly += 1;
    }
    const csvText = ['email', ...rejectedEmails.flatMap((c) => (typeof c.value === 'string' && c.value.trim() !== '' && !/[\r\n",]/.test(c.value) && c.value.length < 1000 ? [c.value] : []))].join('\n');
    const imported = await h.call('contacts.importSuppression', { csv: csvText, as: 'do-not-mail' });
    expect(imported.marked).toBe(0);
    expect(imported.rejected.length).toBe(csvText.split('\n').length - 1);
    expect(imported.rejected.every((r) => r.reason.startsWith('The address '))).toBe(true);
  });
});
