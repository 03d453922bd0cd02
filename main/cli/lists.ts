import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { listJson } from './format';
import { table, type CliSession } from './io';
import { registerListRemoval } from './rules';

type InSession = (fn: (s: CliSession) => Promise<void>) => Promise<void>;

export function registerListCommands(program: Command, inSession: InSession): void {
  const list = program.command('list').description('mailing lists');

  list.command('add <name>').description('create a mailing list').action((name: string) =>
    inSession(async (s) => {
      const created = await s.call('lists.create', { name });
      s.print(listJson(created), () => `Created list "${created.name}" (${created.id})`);
    }),
  );

  list.command('ls').description('mailing lists with their sizes').action(() =>
    inSession(async (s) => {
      const lists = await s.call('lists.list', {});
      s.print(lists.map(listJson), () =>
        lists.length === 0 ? 'No mailing lists. Create one with: listsync list add NAME'
          : table(['ID', 'NAME', 'MEMBERS'], lists.map((l) => [l.id, l.name, String(l.memberCount)])));
    }),
  );

  list
    .command('show <list>')
    .description('a list\'s contacts')
    .option('--search <text>', 'email or name contains')
    .option('--offset <n>', 'skip', '0')
    .option('--limit <n>', 'how many', '50')
    .action((id: string, o: { search?: string; offset: string; limit: string }) =>
      inSession(async (s) => {
        const all = await s.call('lists.list', {});
        const l = all.find((x) => x.id === id || x.name.toLowerCase() === id.toLowerCase());
        const page = await s.call('lists.members', { listId: id, search: o.search, offset: Number(o.offset), limit: Number(o.limit) });
        s.print({ ...(l ? listJson(l) : { id }), total: page.total, members: page.members }, () =>
          `${l?.name ?? id}: ${page.total} contact(s)\n` +
          table(['EMAIL', 'FIRST', 'LAST', 'STATE', 'ADDED'], page.members.map((m) => [m.email, m.firstName, m.lastName, m.state, m.addedAt])));
      }),
    );

  list
    .command('export <list>')
    .description('export a list as CSV (to --out FILE, or stdout)')
    .option('--out <file>', 'write to this file')
    .action((id: string, o: { out?: string }) =>
      inSession(async (s) => {
        const file = await s.call('lists.exportCsv', { listId: id });
        if (o.out) {
          writeFileSync(o.out, file.csv);
          s.print({ file: o.out, rows: file.rows }, () => `Wrote ${file.rows} contact(s) to ${o.out}`);
        } else if (s.json) {
          s.print({ filename: file.filename, rows: file.rows, csv: file.csv }, () => '');
        } else {
          process.stdout.write(file.csv);
        }
      }),
    );

  registerListRemoval(list, inSession);

  const contact = program.command('contact').description('contacts and suppression');

  contact
    .command('mark <email> <state>')
    .description('mark an address bounced, do-not-mail or active')
    .action((email: string, state: string) =>
      inSession(async (s) => {
        if (state !== 'bounced' && state !== 'do-not-mail' && state !== 'active') throw new Error('State is bounced, do-not-mail or active');
        const r = await s.call('contacts.mark', { email, state });
        s.print({ email: r.email, state, created: r.created, previous: r.previous }, () =>
          `${r.email} is now ${state}${r.previous ? ` (was ${r.previous})` : ' (new suppression entry)'}`);
      }),
    );

  contact
    .command('import-suppression <file>')
    .description('mark every address of a CSV file bounced or do-not-mail')
    .requiredOption('--as <state>', 'bounced | do-not-mail')
    .action((file: string, o: { as: string }) =>
      inSession(async (s) => {
        if (o.as !== 'bounced' && o.as !== 'do-not-mail') throw new Error('--as is bounced or do-not-mail');
        const r = await s.call('contacts.importSuppression', { csv: readFileSync(file, 'utf8'), as: o.as });
        s.print(r, () => [
          `Marked ${r.marked} address(es) ${o.as} (${r.created} not seen before).`,
          ...r.rejected.map((x) => `  line ${x.line}: ${x.value} — ${x.reason}`),
        ].join('\n'));
      }),
    );
}
