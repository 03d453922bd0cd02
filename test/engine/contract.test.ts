import { describe, expect, it } from 'vitest';
import { channels } from '../../main/common/contract';
import { defaultMapping } from '../../main/common/domain/mapping';

// The contract's defaults are for new things only: an edit that leaves out a safety option is
// refused rather than quietly set back to the default (a left-out "review" must not become "join").
const editable = {
  name: 'S', mapping: defaultMapping(), updatePolicy: 'overwrite', updateEmptyValues: false,
  schedule: { kind: 'once' }, retrievalStart: { kind: 'all' },
} as const;
const safety = { subscription: { type: 'non-marketing', topics: [], lawfulBasis: 'contract' }, readdPolicy: 'review', exitPolicy: 'remove' } as const;

describe('the contract for sync options', () => {
  it('syncs.create fills the subscription and safety defaults of a new sync', () => {
    const parsed = channels['syncs.create'].request.parse({ sync: { ...editable, accountId: 'a', organizationId: 'o', importOption: { kind: 'all' }, listId: 'l' } });
    expect(parsed.sync).toMatchObject({ subscription: { type: 'marketing', topics: [], lawfulBasis: null }, readdPolicy: 'join', exitPolicy: 'keep' });
    expect(parsed.runNow).toBe(true);
  });

  it('syncs.update needs every option: one left out is an error, not a default', () => {
    const update = channels['syncs.update'].request;
    expect(update.safeParse({ syncId: 's', edit: { ...editable, ...safety } }).success).toBe(true);
    for (const key of Object.keys(safety) as Array<keyof typeof safety>) {
      const { [key]: _left, ...rest } = safety;
      const r = update.safeParse({ syncId: 's', edit: { ...editable, ...rest } });
      expect(r.success, key).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['edit', key]);
    }
  });

  it('settings.update needs the failure threshold; a budget cap goes with the custom plan only', () => {
    const settings = { notifications: 'all', keepInTray: true, startAtLogin: false, schedulesPaused: false } as const;
    expect(channels['settings.update'].request.safeParse(settings).success).toBe(false);
    expect(channels['settings.update'].request.safeParse({ ...settings, pauseAfterFailures: 0 }).success).toBe(false);
    expect(channels['settings.update'].request.safeParse({ ...settings, pauseAfterFailures: 3 }).success).toBe(true);
    const budget = channels['accounts.setBudget'].request;
    expect(budget.safeParse({ accountId: 'a', budget: { plan: 'standard' } }).success).toBe(true);
    expect(budget.safeParse({ accountId: 'a', budget: { plan: 'standard', dailyCap: 99 } }).success).toBe(false);
    expect(budget.safeParse({ accountId: 'a', budget: { plan: 'custom' } }).success).toBe(false);
    expect(budget.safeParse({ accountId: 'a', budget: { plan: 'custom', dailyCap: 99 } }).success).toBe(true);
  });
});
