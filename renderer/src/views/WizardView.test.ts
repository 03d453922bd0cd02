// @vitest-environment happy-dom
// The New Sync wizard as a person meets it (the view and its steps over a fake contract): each
// "Save and Continue" says what is missing and stays; the email mapping has no remove control.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Account } from '../../../main/common/domain/account';
import { builtinContactFields } from '../../../main/common/domain/mapping';
import type { MailingList } from '../../../main/common/domain/mailingList';
import { emptyCounts } from '../../../main/common/domain/outcome';
import { standardSourceFields } from '../../../main/common/domain/sourceFields';
import { ContractError } from '../../../main/common/contract';
import { fake } from '../testing/fakeTransport';
import WizardView from './WizardView.vue';

vi.mock('../transport', () => import('../testing/fakeTransport'));

const account: Account = {
  id: 'acc-1', name: 'Zylker India', dataCenter: null, baseUrl: 'http://127.0.0.1:9/invoice/v3', keyLast4: 'ab12',
  createdAt: '2025-01-01T00:00:00.000Z', syncCount: 0, inactiveSyncCount: 0, isDemo: false,
  budget: { plan: 'free', dailyCap: 1000, resetsAt: '2025-01-02T00:00:00.000Z', usage: [] },
};

let lists: MailingList[];
let topics: string[];
let wrapper: VueWrapper;

function setup(): void {
  lists = [];
  topics = ['Invoices'];
  fake.reset({
    'accounts.list': () => [account],
    'accounts.organizations': () => [{ id: '8100001', name: 'Zylker India', isDefault: true }],
    'accounts.sourceFields': () => ({ fields: [...standardSourceFields], changeDateField: 'last_modified_time' }),
    'lists.list': () => lists,
    'lists.create': ({ name }) => {
      const list = { id: `list-${lists.length + 1}`, name, createdAt: '2025-01-01T00:00:00.000Z', memberCount: 0 };
      lists = [...lists, list];
      return list;
    },
    'contacts.fields': () => [...builtinContactFields],
    'syncs.previewSchedule': () => [{ at: '2025-02-01T02:00:00.000Z', local: '2025-02-01 07:30 GMT+5:30' }],
    'syncs.dryRun': () => ({ counts: { ...emptyCounts(), total: 7, new: 3, ignored: 4 }, fullRead: true, sample: [], error: null }),
    'topics.list': () => topics,
    'topics.create': ({ name }) => {
      if (topics.some((t) => t.toLowerCase() === name.trim().toLowerCase())) {
        throw new ContractError({ code: 'conflict', message: `A topic named "${name}" already exists` });
      }
      topics = [...topics, name.trim()];
      return topics;
    },
    'syncs.create': ({ sync }) => ({
      ...sync, id: 'sync-1', accountName: account.name, organizationName: 'Zylker India', listName: 'India customers',
      subscription: sync.subscription!, readdPolicy: sync.readdPolicy!, exitPolicy: sync.exitPolicy!,
      active: true, inactiveReason: null, paused: false, pausedReason: null, failureStreak: 0, waiting: null, pendingReview: 0,
      running: false, nextRunAt: null, lastRun: null, createdAt: '2025-01-01T00:00:00.000Z',
    }),
  });
}

const get = (id: string) => wrapper.get(`[data-testid="${id}"]`);
const all = (id: string) => wrapper.findAll(`[data-testid="${id}"]`);
const errors = () => (wrapper.find('[data-testid="step-errors"]').exists() ? get('step-errors').text() : '');

async function next(): Promise<void> {
  await get('wizard-next').trigger('click');
  await flushPromises();
}

describe('the New Sync wizard view', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    setup();
    wrapper = mount(WizardView, { props: { accountId: null }, attachTo: document.body });
    await flushPromises();
  });
  afterEach(() => {
    wrapper.unmount();
  });

  it('walks through the four steps, stopping at each thing that is missing', async () => {
    // The only account and its default organization are chosen.
    expect((get('wizard-account').element as HTMLSelectElement).value).toBe('acc-1');
    expect((get('wizard-org').element as HTMLSelectElement).value).toBe('8100001');
    expect(errors()).toBe('');

    // 1 Sync details: no mailing list yet.
    await next();
    expect(errors()).toContain('Select the mailing list to sync to, or create one');
    expect(wrapper.find('[data-testid="step-details"]').exists()).toBe(true);

    // Criteria: a condition without a value.
    await get('import-criteria').setValue(true);
    expect(all('criteria-row')).toHaveLength(1);
    expect(errors()).toContain('This operator needs a value');
    await get('criteria-value').setValue('India');
    expect(errors()).not.toContain('needs a value');

    // Create the list from the wizard: it is selected and names the sync.
    await get('wizard-new-list').trigger('click');
    await get('new-list-name').setValue('India customers');
    await get('create-list-form').trigger('submit');
    await flushPromises();
    expect((get('wizard-list').element as HTMLSelectElement).value).toBe('list-1');
    expect((get('wizard-name').element as HTMLInputElement).value).toBe('Zylker India → India customers');
    expect(errors()).toBe('');
    await next();

    // 2 Map fields: email is mandatory and has no remove control; an incomplete row blocks.
    expect(wrapper.find('[data-testid="step-mapping"]').exists()).toBe(true);
    const emailRow = get('mapping-row-email');
    expect(emailRow.find('[data-testid="mapping-mandatory"]').text()).toBe('Mandatory');
    expect(emailRow.findAll('button')).toHaveLength(0);
    expect(emailRow.find('[data-testid="mapping-target"]').exists()).toBe(false);
    expect(all('mapping-remove-email')).toHaveLength(0);
    await get('mapping-remove-last_name').trigger('click');
    expect(all('mapping-row-last_name')).toHaveLength(0);
    await get('map-more').trigger('click');
    await next();
    expect(errors()).toBe('Choose both fields on every row, or remove the row');
    expect(wrapper.find('[data-testid="step-mapping"]').exists()).toBe(true);
    // The email field is not offered again as a target.
    const targets = get('mapping-row-new').get('[data-testid="mapping-target"]').findAll('option').map((o) => o.attributes('value'));
    expect(targets).not.toContain('email');
    expect(targets).toContain('company');
    await get('mapping-row-new').get('[data-testid="mapping-target"]').setValue('company');
    await get('mapping-row-company').get('[data-testid="mapping-source"]').setValue('company_name');
    await next();

    // 3 Configure sync: a recurring schedule needs an HH:MM time.
    expect(wrapper.find('[data-testid="step-configure"]').exists()).toBe(true);
    await get('schedule-recurring').setValue(true);
    expect((get('schedule-kind').element as HTMLSelectElement).value).toBe('daily');
    const time = get('schedule-time');
    (time.element as HTMLInputElement).value = '';
    await time.trigger('input');
    expect(wrapper.find('[data-testid="schedule-editor"] [role="alert"]').text()).toBe('Time must be HH:MM on a 24-hour clock, e.g. 09:30');
    await next();
    expect(errors()).toBe('Time must be HH:MM on a 24-hour clock, e.g. 09:30');
    await time.setValue('07:30');
    expect(errors()).toBe('');
    // "After" data without its date.
    await get('retrieval-after').setValue(true);
    await next();
    expect(errors()).toBe('Choose the date and time after which contacts are imported');
    await get('retrieval-all').setValue(true);
    await next();

    // 4 Preview: the dry run's counts, and Initiate enabled.
    expect(wrapper.find('[data-testid="step-preview"]').exists()).toBe(true);
    expect(get('preview-counts').get('[data-testid="count-total"]').text()).toContain('7');
    expect(get('draft-summary').text()).toContain('Criteria: Billing country is India');
    expect(get('draft-summary').text()).toContain('Company ← Company name');
    expect(get('initiate').attributes('disabled')).toBeUndefined();
    const dryRun = fake.calls.find((c) => c.channel === 'syncs.dryRun')?.request as { draft: { mapping: unknown; schedule: unknown } };
    expect(dryRun.draft.mapping).toEqual([
      { target: 'email', source: 'email' }, { target: 'first_name', source: 'first_name' }, { target: 'company', source: 'company_name' },
    ]);
    expect(dryRun.draft.schedule).toMatchObject({ kind: 'daily', at: '07:30' });

    // Back to the start: every choice is still there.
    await get('wizard-back').trigger('click');
    await get('wizard-back').trigger('click');
    await get('wizard-back').trigger('click');
    await flushPromises();
    expect((get('criteria-value').element as HTMLInputElement).value).toBe('India');
    expect((get('wizard-list').element as HTMLSelectElement).value).toBe('list-1');
  });

  it('a before/after condition asks for a date', async () => {
    await get('import-criteria').setValue(true);
    await get('criteria-field').setValue('created_time');
    await get('criteria-op').setValue('after');
    const value = get('criteria-value');
    expect((value.element as HTMLInputElement).type).toBe('date');
    await next();
    expect(errors()).toContain('This operator needs a value');
    // An operator that takes no value: the input goes, and so does the problem.
    await get('criteria-field').setValue('billing_address.city');
    await get('criteria-op').setValue('is_empty');
    expect(all('criteria-value')).toHaveLength(0);
    expect(errors()).not.toContain('needs a value');
  });

  it('subscription, topics, lawful basis, safety and "Run once now" reach syncs.create', async () => {
    await get('wizard-new-list').trigger('click');
    await get('new-list-name').setValue('India customers');
    await get('create-list-form').trigger('submit');
    await flushPromises();
    await next();
    await next();
    expect(wrapper.find('[data-testid="step-configure"]').exists()).toBe(true);

    // A one-time sync always runs at once: no checkbox.
    expect(all('run-now-on-initiate')).toHaveLength(0);
    await get('schedule-recurring').setValue(true);
    expect((get('run-now-on-initiate').element as HTMLInputElement).checked).toBe(true);
    await get('run-now-on-initiate').setValue(false);

    // Marketing (the default) with no lawful basis says what it needs.
    expect((get('subscription-marketing').element as HTMLInputElement).checked).toBe(true);
    expect(get('basis-hint').text()).toContain('needs a lawful basis');
    await get('lawful-basis').setValue('consent');
    expect(all('basis-hint')).toHaveLength(0);

    // Topics: the managed list, and a new topic made on the spot (checked at once); a duplicate is refused.
    expect(all('topic-options')[0]!.findAll('input').map((i) => i.attributes('data-testid'))).toEqual(['topic-Invoices']);
    await get('new-topic').trigger('click');
    await get('new-topic-name').setValue('invoices');
    await wrapper.get('form.new-topic').trigger('submit');
    await flushPromises();
    expect(get('new-topic-error').text()).toBe('A topic named "invoices" already exists');
    await get('new-topic-name').setValue('Product news');
    await wrapper.get('form.new-topic').trigger('submit');
    await flushPromises();
    expect(all('new-topic-name')).toHaveLength(0);
    expect((get('topic-Product news').element as HTMLInputElement).checked).toBe(true);
    expect((get('topic-Invoices').element as HTMLInputElement).checked).toBe(false);

    await get('readd-review').setValue(true);
    await get('exit-mark').setValue(true);
    await next();

    expect(get('draft-subscription').text()).toBe('Marketing · Topics: Product news · Lawful basis: Consent');
    expect(get('draft-readd').text()).toBe('Wait in the review queue');
    expect(get('draft-exit').text()).toBe('Keep it, marked "no longer matches"');
    expect(get('draft-first-run').text()).toBe('At the first scheduled time');
    await get('initiate').trigger('click');
    await flushPromises();

    const created = fake.calls.find((c) => c.channel === 'syncs.create')?.request as { sync: Record<string, unknown>; runNow: boolean };
    expect(created.runNow).toBe(false);
    expect(created.sync.subscription).toEqual({ type: 'marketing', topics: ['Product news'], lawfulBasis: 'consent' });
    expect(created.sync.readdPolicy).toBe('review');
    expect(created.sync.exitPolicy).toBe('mark');
    expect(location.hash).toBe('#/syncs/sync-1');
  });
});
