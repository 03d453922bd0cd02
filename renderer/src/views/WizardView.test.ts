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
import { fake } from '../testing/fakeTransport';
import WizardView from './WizardView.vue';

vi.mock('../transport', () => import('../testing/fakeTransport'));

const account: Account = {
  id: 'acc-1', name: 'Zylker India', dataCenter: null, baseUrl: 'http://127.0.0.1:9/invoice/v3', keyLast4: 'ab12',
  createdAt: '2025-01-01T00:00:00.000Z', syncCount: 0, inactiveSyncCount: 0, isDemo: false,
};

let lists: MailingList[];
let wrapper: VueWrapper;

function setup(): void {
  lists = [];
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
});
