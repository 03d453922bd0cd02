import { ContractError, type Organization } from '../../common/contract';
import { keyLast4, type Account, type AccountEndpoint } from '../../common/domain/account';
import { changeDateField, standardSourceFields, type SourceField } from '../../common/domain/sourceFields';
import type { CoreContext } from '../context';
import type { Handlers } from '../dispatch';
import { newId } from '../store/ids';
import { demoBaseUrl } from '../sources';
import type { DemoSandbox } from '../demo';

type AccountHandlers = Pick<Handlers,
  'accounts.list' | 'accounts.add' | 'accounts.connectDemo' | 'accounts.changeKey' | 'accounts.remove' |
  'accounts.organizations' | 'accounts.sourceFields' | 'accounts.setBudget'>;

export function accountNotFound(accountId: string): ContractError {
  return new ContractError({ code: 'not-found', message: `No account ${accountId}` });
}

export function requireAccount(ctx: CoreContext, accountId: string): Account {
  const account = ctx.store.accounts.find(accountId);
  if (!account) throw accountNotFound(accountId);
  return account;
}

export async function requireKey(ctx: CoreContext, account: Account): Promise<string> {
  const key = await ctx.secrets.get(account.id);
  if (!key) {
    throw new ContractError({
      code: 'keychain',
      message: `The ZSC key of "${account.name}" is not in the OS keychain; enter it again in Settings (Change ZSC key).`,
    });
  }
  return key;
}

/** Lists organizations with a key: the check that a key works, before it is stored. */
async function organizationsWith(ctx: CoreContext, apiRoot: string, key: string): Promise<Organization[]> {
  const orgs = await ctx.sources.client(apiRoot, key).listOrganizations();
  return orgs.map((o) => ({ id: String(o.organization_id), name: o.name, isDefault: o.is_default_org === true }));
}

async function storeNewAccount(
  ctx: CoreContext, input: { name: string; endpoint: AccountEndpoint; key: string; isDemo: boolean },
): Promise<Account> {
  if (ctx.store.accounts.nameTaken(input.name)) {
    throw new ContractError({ code: 'conflict', message: `An account named "${input.name}" already exists` });
  }
  const id = newId('acc');
  await ctx.secrets.set(id, input.key);
  try {
    return ctx.store.accounts.createWithId(id, {
      name: input.name, endpoint: input.endpoint, keyLast4: keyLast4(input.key), isDemo: input.isDemo, now: ctx.nowIso(),
    });
  } catch (error) {
    await ctx.secrets.delete(id).catch(() => undefined);
    throw error;
  }
}

export function accountHandlers(ctx: CoreContext, demo: DemoSandbox): AccountHandlers {
  return {
    'accounts.list': () => ctx.store.accounts.list(),

    'accounts.add': async ({ name, endpoint, key }) => {
      const apiRoot = ctx.sources.apiRootFor(endpoint);
      await organizationsWith(ctx, apiRoot, key);
      const account = await storeNewAccount(ctx, { name, endpoint, key, isDemo: false });
      ctx.logger.log('info', 'account.added', { accountId: account.id, apiRoot });
      return account;
    },

    'accounts.connectDemo': async () => {
      const existing = ctx.store.accounts.list().find((a) => a.isDemo);
      if (existing) return existing;
      const sandbox = await demo.ensureStarted();
      const account = await storeNewAccount(ctx, { name: 'Zylker demo', endpoint: { baseUrl: demoBaseUrl }, key: sandbox.key, isDemo: true });
      // The demo is served by this computer, not by Zoho: no plan's daily cap applies (it stays editable).
      ctx.store.accounts.setBudget(account.id, { plan: 'custom', dailyCap: 1_000_000 });
      return ctx.store.accounts.get(account.id)!;
    },

    'accounts.changeKey': async ({ accountId, key }) => {
      const account = requireAccount(ctx, accountId);
      await organizationsWith(ctx, await ctx.sources.apiRootOf(account), key);
      await ctx.secrets.set(account.id, key);
      const now = ctx.nowIso();
      const reason = `The ZSC key was changed on ${now.slice(0, 10)}. Activate the sync to resume it.`;
      const deactivated = ctx.store.transaction(() => {
        ctx.store.accounts.setKeyLast4(account.id, keyLast4(key));
        return ctx.store.syncs.deactivateAccount(account.id, reason, now);
      });
      deactivated.forEach((id) => ctx.syncChanged(id));
      ctx.events.emit('syncs.changed', { syncIds: deactivated, reason });
      ctx.logger.log('info', 'account.key-changed', { accountId: account.id, deactivated: deactivated.length });
      return { account: ctx.store.accounts.get(account.id)!, deactivatedSyncIds: deactivated };
    },

    'accounts.remove': async ({ accountId }) => {
      const account = requireAccount(ctx, accountId);
      if (account.syncCount > 0) {
        throw new ContractError({ code: 'conflict', message: `Delete the ${account.syncCount} sync(s) of "${account.name}" first` });
      }
      ctx.store.accounts.delete(account.id);
      await ctx.secrets.delete(account.id);
      return {};
    },

    'accounts.organizations': async ({ accountId }) => {
      const account = requireAccount(ctx, accountId);
      return organizationsWith(ctx, await ctx.sources.apiRootOf(account), await requireKey(ctx, account));
    },

    'accounts.setBudget': ({ accountId, budget }) => {
      const account = requireAccount(ctx, accountId);
      ctx.store.accounts.setBudget(account.id, budget);
      ctx.logger.log('info', 'account.budget', { accountId: account.id, plan: budget.plan });
      return ctx.store.accounts.get(account.id)!;
    },
    'accounts.sourceFields': async ({ accountId, organizationId }) => {
      const account = requireAccount(ctx, accountId);
      // Counted against the organization's daily budget like every organization-scoped request.
      const client = await ctx.sources.clientFor(account, await requireKey(ctx, account));
      // Custom fields are per organization: discover them from the first page of contacts.
      const page = await client.listContactsPage(organizationId, { page: 1, perPage: 200 });
      const custom = new Map<string, SourceField>();
      let hasChangeDate = false;
      for (const contact of page.contacts) {
        if (contact.last_modified_time) hasChangeDate = true;
        for (const f of contact.custom_fields ?? []) {
          const key = f.api_name || f.label;
          if (key && !custom.has(key)) {
            custom.set(key, { path: `custom:${key}`, label: `${f.label ?? key} (custom)`, kind: 'text', needsDetail: false });
          }
        }
      }
      return {
        fields: [...standardSourceFields, ...custom.values()],
        changeDateField: hasChangeDate || page.contacts.length === 0 ? changeDateField : null,
      };
    },
  };
}
