import type { Command } from 'commander';
import { dataCenterIds, type AccountEndpoint, type DataCenterId } from '../common/domain/account';
import { accountJson } from './format';
import { readSecretFromStdin, table, type CliSession } from './io';

type InSession = (fn: (s: CliSession) => Promise<void>) => Promise<void>;

function endpointOf(opts: { dc?: string; baseUrl?: string }): AccountEndpoint {
  if (opts.dc && opts.baseUrl) throw new Error('Give either --dc or --base-url, not both');
  if (opts.baseUrl) return { baseUrl: opts.baseUrl };
  if (opts.dc && (dataCenterIds as readonly string[]).includes(opts.dc)) return { dataCenter: opts.dc as DataCenterId };
  throw new Error(`Give --dc (${dataCenterIds.join('|')}) or --base-url URL`);
}

export function registerAccountCommands(program: Command, inSession: InSession): void {
  const account = program.command('account').description('Zoho Invoice accounts (ZSC keys live in the OS keychain)');

  account
    .command('add <name>')
    .description('connect an account; reads the ZSC key from standard input')
    .option('--dc <dc>', `data center: ${dataCenterIds.join(', ')}`)
    .option('--base-url <url>', 'custom API root (http only on loopback, e.g. the sandbox)')
    .action(async (name: string, opts: { dc?: string; baseUrl?: string }) => {
      const endpoint = endpointOf(opts);
      const key = await readSecretFromStdin('ZSC key: ');
      await inSession(async (s) => {
        const created = await s.call('accounts.add', { name, endpoint, key });
        s.print(accountJson(created), () => `Connected "${created.name}" (${created.id}), key …${created.keyLast4}`);
      });
    });

  account
    .command('key <account>')
    .description('replace the ZSC key (reads it from standard input); deactivates the account\'s syncs')
    .action(async (id: string) => {
      const key = await readSecretFromStdin('New ZSC key: ');
      await inSession(async (s) => {
        const r = await s.call('accounts.changeKey', { accountId: id, key });
        s.print({ ...accountJson(r.account), deactivated_sync_ids: r.deactivatedSyncIds }, () =>
          `Key of "${r.account.name}" updated (…${r.account.keyLast4}). ${r.deactivatedSyncIds.length} sync(s) deactivated: activate them with "listsync sync activate".`,
        );
      });
    });

  account
    .command('list')
    .description('list accounts')
    .action(() =>
      inSession(async (s) => {
        const accounts = await s.call('accounts.list', {});
        s.print(accounts.map(accountJson), () =>
          accounts.length === 0
            ? 'No accounts. Add one with: listsync account add NAME --dc us < key.txt'
            : table(['ID', 'NAME', 'WHERE', 'KEY', 'SYNCS'], accounts.map((a) => [
                a.id, a.name, a.dataCenter ?? a.baseUrl ?? '', `…${a.keyLast4}`,
                `${a.syncCount}${a.inactiveSyncCount ? ` (${a.inactiveSyncCount} inactive)` : ''}`,
              ])),
        );
      }),
    );

  program
    .command('org')
    .description('organizations')
    .command('list <account>')
    .description('organizations the account\'s key can reach')
    .action((id: string) =>
      inSession(async (s) => {
        const orgs = await s.call('accounts.organizations', { accountId: id });
        s.print(orgs, () => table(['ID', 'NAME', 'DEFAULT'], orgs.map((o) => [o.id, o.name, o.isDefault ? 'yes' : ''])));
      }),
    );
}
