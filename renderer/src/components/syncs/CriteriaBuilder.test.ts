// @vitest-environment happy-dom
// The criteria builder: add and remove conditions, operators without a value hide the value
// input, date fields offer before/after with a date input, match all / any.
import { mount, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { standardSourceFields, type SourceField } from '../../../../main/common/domain/sourceFields';
import { newConditionRow, type ConditionRow } from '../../lib/forms';
import CriteriaBuilder from './CriteriaBuilder.vue';

const fields: SourceField[] = [
  ...standardSourceFields,
  { path: 'custom:cf_tier', label: 'Customer tier', kind: 'text', needsDetail: false },
];

/** Mounts the builder with its two v-models wired back into the props, as a parent would. */
function mountBuilder(rows: ConditionRow[] = [newConditionRow()], options: { showErrors?: boolean; match?: 'all' | 'any' } = {}) {
  const wrapper: VueWrapper = mount(CriteriaBuilder, {
    props: {
      fields,
      showErrors: options.showErrors ?? false,
      rows,
      match: options.match ?? 'all',
      'onUpdate:rows': (next: ConditionRow[]) => wrapper.setProps({ rows: next }),
      'onUpdate:match': (next: 'all' | 'any') => wrapper.setProps({ match: next }),
    },
  });
  return wrapper;
}

const propsOf = (w: VueWrapper) => w.props() as { rows: ConditionRow[]; match: 'all' | 'any' };
const rowsOf = (w: VueWrapper) => propsOf(w).rows;
const byTestId = (w: VueWrapper, id: string) => w.findAll(`[data-testid="${id}"]`);

describe('CriteriaBuilder', () => {
  it('starts with one condition whose Remove is disabled', () => {
    const w = mountBuilder();
    expect(byTestId(w, 'criteria-row')).toHaveLength(1);
    expect((byTestId(w, 'criteria-field')[0]!.element as HTMLSelectElement).value).toBe('billing_address.country');
    expect((byTestId(w, 'criteria-op')[0]!.element as HTMLSelectElement).value).toBe('is');
    expect(byTestId(w, 'criteria-value')).toHaveLength(1);
    expect(byTestId(w, 'criteria-remove')[0]!.attributes('disabled')).toBeDefined();
  });

  it('adds conditions (on Billing country) and removes the one chosen', async () => {
    const w = mountBuilder();
    await byTestId(w, 'criteria-add')[0]!.trigger('click');
    await byTestId(w, 'criteria-add')[0]!.trigger('click');
    expect(byTestId(w, 'criteria-row')).toHaveLength(3);
    expect(rowsOf(w).map((r) => r.field)).toEqual(['billing_address.country', 'billing_address.country', 'billing_address.country']);
    expect(new Set(rowsOf(w).map((r) => r.uid)).size).toBe(3);

    await byTestId(w, 'criteria-value')[1]!.setValue('Germany');
    const keep = rowsOf(w).map((r) => r.uid);
    await byTestId(w, 'criteria-remove')[0]!.trigger('click');
    expect(rowsOf(w).map((r) => r.uid)).toEqual([keep[1], keep[2]]);
    expect(rowsOf(w)[0]!.value).toBe('Germany');
    expect(byTestId(w, 'criteria-remove')[0]!.attributes('disabled')).toBeUndefined();
    expect(byTestId(w, 'criteria-row')[0]!.find('label').text()).toBe('Field of condition 1');
  });

  it('stops adding at 20 conditions', async () => {
    const w = mountBuilder(Array.from({ length: 20 }, () => newConditionRow()));
    expect(byTestId(w, 'criteria-add')[0]!.attributes('disabled')).toBeDefined();
  });

  it('typing a value updates the row', async () => {
    const w = mountBuilder();
    await byTestId(w, 'criteria-value')[0]!.setValue('India');
    expect(rowsOf(w)[0]).toMatchObject({ field: 'billing_address.country', op: 'is', value: 'India' });
  });

  it('an operator without a value hides the value input; choosing one with a value shows it again', async () => {
    const w = mountBuilder([{ ...newConditionRow(), value: 'India' }, newConditionRow('email')]);
    await byTestId(w, 'criteria-op')[0]!.setValue('is_empty');
    expect(rowsOf(w)[0]!.op).toBe('is_empty');
    const first = byTestId(w, 'criteria-row')[0]!;
    expect(first.find('[data-testid="criteria-value"]').exists()).toBe(false);
    expect(byTestId(w, 'criteria-row')[1]!.find('[data-testid="criteria-value"]').exists()).toBe(true);

    await byTestId(w, 'criteria-op')[0]!.setValue('is_not_empty');
    expect(byTestId(w, 'criteria-row')[0]!.find('[data-testid="criteria-value"]').exists()).toBe(false);

    await byTestId(w, 'criteria-op')[0]!.setValue('contains');
    const value = byTestId(w, 'criteria-row')[0]!.find('[data-testid="criteria-value"]');
    expect(value.exists()).toBe(true);
    expect((value.element as HTMLInputElement).type).toBe('text');
  });

  it('text fields offer the text operators; date fields before / after with a date input', async () => {
    const w = mountBuilder();
    const ops = () => byTestId(w, 'criteria-op')[0]!.findAll('option').map((o) => o.attributes('value'));
    expect(ops()).toEqual(['is', 'is_not', 'contains', 'not_contains', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty']);

    await byTestId(w, 'criteria-value')[0]!.setValue('India');
    await byTestId(w, 'criteria-field')[0]!.setValue('created_time');
    expect(ops()).toEqual(['before', 'after', 'is_empty', 'is_not_empty']);
    // The text operator does not apply to a date: the first date operator is chosen, the text value dropped.
    expect(rowsOf(w)[0]).toMatchObject({ field: 'created_time', op: 'before', value: '' });
    expect((byTestId(w, 'criteria-value')[0]!.element as HTMLInputElement).type).toBe('date');

    // Back to a text field: "before" does not apply, so "is"; the date value does not carry over.
    await byTestId(w, 'criteria-value')[0]!.setValue('2025-01-31');
    await byTestId(w, 'criteria-field')[0]!.setValue('billing_address.city');
    expect(rowsOf(w)[0]).toMatchObject({ field: 'billing_address.city', op: 'is', value: '' });
    expect((byTestId(w, 'criteria-value')[0]!.element as HTMLInputElement).type).toBe('text');
    // Between two text fields, operator and value carry over.
    await byTestId(w, 'criteria-op')[0]!.setValue('starts_with');
    await byTestId(w, 'criteria-value')[0]!.setValue('Ben');
    await byTestId(w, 'criteria-field')[0]!.setValue('billing_address.state');
    expect(rowsOf(w)[0]).toMatchObject({ field: 'billing_address.state', op: 'starts_with', value: 'Ben' });
  });

  it('groups custom fields apart from the Zoho Invoice fields', () => {
    const w = mountBuilder();
    const groups = byTestId(w, 'criteria-field')[0]!.findAll('optgroup');
    expect(groups.map((g) => g.attributes('label'))).toEqual(['Zoho Invoice fields', 'Custom fields']);
    expect(groups[1]!.findAll('option').map((o) => o.text())).toEqual(['Customer tier']);
  });

  it('match all / any', async () => {
    const w = mountBuilder();
    const match = w.find('[data-testid="criteria-match"]');
    expect((match.element as HTMLSelectElement).value).toBe('all');
    expect(match.findAll('option').map((o) => o.text())).toEqual(['all of these conditions', 'any of these conditions']);
    await match.setValue('any');
    expect(w.emitted('update:match')).toEqual([['any']]);
    expect(propsOf(w).match).toBe('any');
    await match.setValue('all');
    expect(propsOf(w).match).toBe('all');
  });

  it('shows each incomplete condition\'s problem once errors are on', async () => {
    const rows = [newConditionRow(), { ...newConditionRow('created_time'), op: 'after' as const, value: 'soon' }];
    const quiet = mountBuilder(rows);
    expect(quiet.findAll('.error-text')).toHaveLength(0);
    const w = mountBuilder(rows, { showErrors: true });
    expect(w.findAll('.error-text').map((e) => e.text())).toEqual([
      'This operator needs a value',
      'Before/after need a date (YYYY-MM-DD or ISO 8601)',
    ]);
    expect(byTestId(w, 'criteria-value')[0]!.attributes('aria-invalid')).toBe('true');
    await byTestId(w, 'criteria-value')[0]!.setValue('India');
    expect(w.findAll('.error-text').map((e) => e.text())).toEqual(['Before/after need a date (YYYY-MM-DD or ISO 8601)']);
  });

  it('warns that address fields are slow to read', async () => {
    const w = mountBuilder([newConditionRow('email')]);
    expect(w.find('.slow').exists()).toBe(false);
    await byTestId(w, 'criteria-field')[0]!.setValue('billing_address.country');
    expect(w.find('.slow').text()).toContain('one extra request per candidate');
  });
});
