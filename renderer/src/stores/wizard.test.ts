// @vitest-environment happy-dom
// The New Sync wizard's validation, step by step: what "Save and Continue" refuses and says.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildMapping, buildSchedule, newConditionRow } from '../lib/forms';
import { useWizardStore } from './wizard';

const scheduleError = 'Time must be HH:MM on a 24-hour clock, e.g. 09:30';

function completeDetails(wizard: ReturnType<typeof useWizardStore>): void {
  wizard.accountId = 'acc-1';
  wizard.organizationId = '8100001';
  wizard.listId = 'list-1';
  wizard.name = 'India sync';
}

describe('the New Sync wizard store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
  });

  it('step 1 names everything missing and does not move on', () => {
    const wizard = useWizardStore();
    expect(wizard.next()).toBe(false);
    expect(wizard.step).toBe(1);
    expect(wizard.tried[1]).toBe(true);
    expect(wizard.errorsOf(1)).toEqual([
      'Choose the Zoho Invoice account',
      'Select the organization to sync',
      'Select the mailing list to sync to, or create one',
      'Give the sync a name',
    ]);
  });

  it('a missing mailing list alone blocks step 1', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.listId = '';
    expect(wizard.next()).toBe(false);
    expect(wizard.errorsOf(1)).toEqual(['Select the mailing list to sync to, or create one']);
    wizard.listId = 'list-1';
    expect(wizard.next()).toBe(true);
    expect(wizard.step).toBe(2);
    expect(wizard.reached).toBe(2);
  });

  it('a blank name is missing too', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.name = '   ';
    expect(wizard.errorsOf(1)).toEqual(['Give the sync a name']);
  });

  it('criteria: a condition without a value is refused until it has one', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.useCriteria('criteria');
    expect(wizard.conditions).toHaveLength(1);
    expect(wizard.conditions[0]).toMatchObject({ field: 'billing_address.country', op: 'is', value: '' });
    expect(wizard.errorsOf(1)).toEqual(['This operator needs a value']);
    wizard.conditions = [{ ...wizard.conditions[0]!, value: '   ' }];
    expect(wizard.errorsOf(1)).toEqual(['This operator needs a value']);
    wizard.conditions = [{ ...wizard.conditions[0]!, value: 'India' }];
    expect(wizard.errorsOf(1)).toEqual([]);
    expect(wizard.importOption).toEqual({
      ok: true,
      value: { kind: 'criteria', criteria: { match: 'all', conditions: [{ field: 'billing_address.country', op: 'is', value: 'India' }] } },
    });
  });

  it('criteria: "is empty" and "is not empty" need no value', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.useCriteria('criteria');
    wizard.conditions = [{ ...newConditionRow('email'), op: 'is_empty' }, { ...newConditionRow('phone'), op: 'is_not_empty' }];
    wizard.match = 'any';
    expect(wizard.errorsOf(1)).toEqual([]);
    expect(wizard.importOption).toEqual({
      ok: true,
      value: { kind: 'criteria', criteria: { match: 'any', conditions: [{ field: 'email', op: 'is_empty' }, { field: 'phone', op: 'is_not_empty' }] } },
    });
  });

  it('criteria: before and after need a date', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.useCriteria('criteria');
    for (const op of ['before', 'after'] as const) {
      wizard.conditions = [{ ...newConditionRow('created_time'), op, value: 'last Tuesday' }];
      expect(wizard.errorsOf(1), op).toEqual(['Before/after need a date (YYYY-MM-DD or ISO 8601)']);
      wizard.conditions = [{ ...newConditionRow('created_time'), op, value: '' }];
      expect(wizard.errorsOf(1), op).toContain('This operator needs a value');
      wizard.conditions = [{ ...newConditionRow('created_time'), op, value: '2025-01-31' }];
      expect(wizard.errorsOf(1), op).toEqual([]);
    }
  });

  it('criteria with every condition removed asks for one, or All contacts', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.useCriteria('criteria');
    wizard.conditions = [];
    expect(wizard.errorsOf(1)).toEqual(['Add at least one condition, or choose All contacts']);
    wizard.useCriteria('all');
    expect(wizard.errorsOf(1)).toEqual([]);
  });

  it('mapping: the email mapping is mandatory; an incomplete extra row blocks step 2', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.next();
    expect(wizard.step).toBe(2);
    expect(wizard.mapping.map((r) => [r.target, r.source])).toEqual([
      ['email', 'email'], ['first_name', 'first_name'], ['last_name', 'last_name'],
    ]);
    expect(wizard.errorsOf(2)).toEqual([]);

    // "Map more fields" with only one side chosen.
    wizard.mapping = [...wizard.mapping, { uid: 9001, target: 'company', source: '' }];
    expect(wizard.next()).toBe(false);
    expect(wizard.step).toBe(2);
    expect(wizard.errorsOf(2)).toEqual(['Choose both fields on every row, or remove the row']);
    wizard.mapping = wizard.mapping.map((r) => (r.uid === 9001 ? { ...r, source: 'company_name' } : r));
    expect(wizard.errorsOf(2)).toEqual([]);

    // Without the email row (the editor offers no way, but the rule holds on its own).
    wizard.mapping = wizard.mapping.filter((r) => r.target !== 'email');
    expect(wizard.errorsOf(2)).toEqual(['Mapping the email address is mandatory']);
    expect(buildMapping([{ uid: 1, target: 'email', source: 'email' }, { uid: 2, target: 'email', source: 'contact_name' }]))
      .toEqual({ ok: false, errors: ['Each ListSync field can be mapped only once'] });
  });

  it('configure: the sync time must be HH:MM on a 24-hour clock', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.next();
    wizard.next();
    expect(wizard.step).toBe(3);
    for (const at of ['7:30', '24:00', '07:60', '0730', '7.30 pm', '']) {
      wizard.schedule = { ...wizard.schedule, kind: 'daily', at, timeZone: 'Asia/Kolkata' };
      expect(wizard.errorsOf(3), at).toEqual([scheduleError]);
    }
    expect(wizard.next()).toBe(false);
    for (const at of ['00:00', '07:30', '23:59']) {
      wizard.schedule = { ...wizard.schedule, kind: 'weekly', weekday: 'wednesday', at, timeZone: 'Asia/Kolkata' };
      expect(wizard.errorsOf(3), at).toEqual([]);
    }
    expect(buildSchedule({ kind: 'monthly', at: '06:15', timeZone: 'Nowhere/Atlantis', weekday: 'monday', dayOfMonth: 31 }))
      .toEqual({ ok: false, errors: ['Unknown time zone (use an IANA name such as Europe/Berlin)'] });
    // A one-time import has no time to check.
    wizard.schedule = { ...wizard.schedule, kind: 'once', at: 'nonsense' };
    expect(wizard.errorsOf(3)).toEqual([]);
  });

  it('configure: "After" data needs its date', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.retrieval = { kind: 'after', afterLocal: '' };
    expect(wizard.configureErrors).toEqual(['Choose the date and time after which contacts are imported']);
    wizard.retrieval = { kind: 'after', afterLocal: '2025-01-01T00:00' };
    expect(wizard.configureErrors).toEqual([]);
  });

  it('a complete draft reaches the preview; Back keeps every step', () => {
    const wizard = useWizardStore();
    completeDetails(wizard);
    wizard.useCriteria('criteria');
    wizard.conditions = [{ ...wizard.conditions[0]!, value: 'India' }];
    wizard.schedule = { ...wizard.schedule, kind: 'daily', at: '07:30', timeZone: 'Asia/Kolkata' };
    expect(wizard.next() && wizard.next() && wizard.next()).toBe(true);
    expect(wizard.step).toBe(4);
    expect(wizard.draft.ok).toBe(true);
    wizard.back();
    wizard.back();
    wizard.goTo(4);
    expect(wizard.step).toBe(4);
    expect(wizard.conditions[0]?.value).toBe('India');
    wizard.reset();
    expect(wizard.step).toBe(1);
    expect(wizard.conditions).toEqual([]);
    wizard.goTo(3);
    expect(wizard.step).toBe(1);
  });
});
