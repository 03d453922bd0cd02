// Accounts: a cache of accounts.list, plus organizations and source fields per account.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Organization, Reply, Request } from '../../../main/common/contract';
import type { Account, ApiBudgetInput } from '../../../main/common/domain/account';
import { api } from '../transport';

export type SourceFieldsReply = Reply<'accounts.sourceFields'>;

export const useAccountsStore = defineStore('accounts', () => {
  const accounts = ref<Account[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const loadError = ref<unknown>(null);
  const organizationCache = new Map<string, Promise<Organization[]>>();
  const fieldCache = new Map<string, Promise<SourceFieldsReply>>();

  const byId = computed(() => new Map(accounts.value.map((a) => [a.id, a])));

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      accounts.value = await api.invoke('accounts.list', {});
      loaded.value = true;
      loadError.value = null;
    } catch (error) {
      loadError.value = error;
      throw error;
    } finally {
      loading.value = false;
    }
  }

  function forget(accountId: string): void {
    organizationCache.delete(accountId);
    for (const key of [...fieldCache.keys()]) if (key.startsWith(`${accountId}\u0000`)) fieldCache.delete(key);
  }

  function upsert(account: Account): void {
    const i = accounts.value.findIndex((a) => a.id === account.id);
    if (i >= 0) accounts.value.splice(i, 1, account);
    else accounts.value.push(account);
  }

  async function connectDemo(): Promise<Account> {
    const account = await api.invoke('accounts.connectDemo', {});
    upsert(account);
    return account;
  }

  async function add(request: Request<'accounts.add'>): Promise<Account> {
    const account = await api.invoke('accounts.add', request);
    upsert(account);
    return account;
  }

  async function changeKey(accountId: string, key: string): Promise<Reply<'accounts.changeKey'>> {
    const reply = await api.invoke('accounts.changeKey', { accountId, key });
    forget(accountId);
    upsert(reply.account);
    return reply;
  }

  async function remove(accountId: string): Promise<void> {
    await api.invoke('accounts.remove', { accountId });
    forget(accountId);
    accounts.value = accounts.value.filter((a) => a.id !== accountId);
  }

  /** The Zoho plan (and so the daily API cap) of an account, or a custom cap. */
  async function setBudget(accountId: string, budget: ApiBudgetInput): Promise<Account> {
    const account = await api.invoke('accounts.setBudget', { accountId, budget });
    upsert(account);
    return account;
  }

  function organizations(accountId: string): Promise<Organization[]> {
    let p = organizationCache.get(accountId);
    if (!p) {
      p = api.invoke('accounts.organizations', { accountId });
      organizationCache.set(accountId, p);
      p.catch(() => organizationCache.delete(accountId));
    }
    return p;
  }

  function sourceFields(accountId: string, organizationId: string): Promise<SourceFieldsReply> {
    const key = `${accountId}\u0000${organizationId}`;
    let p = fieldCache.get(key);
    if (!p) {
      p = api.invoke('accounts.sourceFields', { accountId, organizationId });
      fieldCache.set(key, p);
      p.catch(() => fieldCache.delete(key));
    }
    return p;
  }

  // Deactivations (key rejected, key changed) and new syncs change the per-account counts.
  api.on('syncs.changed', () => {
    void refresh().catch(() => undefined);
  });
  api.on('run.finished', () => {
    void refresh().catch(() => undefined);
  });

  return { accounts, loaded, loading, loadError, byId, refresh, connectDemo, add, changeKey, remove, setBudget, organizations, sourceFields, forget };
});
