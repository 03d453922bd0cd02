import type { Command } from 'commander';
import { zohoPlans, type ApiBudgetInput, type ZohoPlan } from '../common/domain/account';
import { accountJson } from './format';
import { table, type CliSession } from './io';

type InSession = (fn: (s: CliSession) => Promise<void>) => Promise<void>;

/** Topics, role-address rules, an account's API budget and taking contacts out of a list by hand. */
export function registerRuleCommands(program: Command, inSession: InSession): void {
  const topic = program.command('topic').description('the topics a sync can subscribe its contacts to');
  topic.command('ls').description('list topics').action(() =>
    inSession(async (s) => {
      const topics = await s.call('topics.list', {});
      s.print(topics, () => (topics.length ? topics.join('\n') : 'No topics. Add one with: listsync topic add NAME'));
    }));
  topic.command('add <name>').description('create a topic').action((name: string) =>
    inSession(async (s) => {
      const topics = await s.call('topics.create', { name });
      s.print(topics, () => `Created topic "${name}"`);
    }));
  topic.command('rm <name>').description('delete a topic no sync uses').action((name: string) =>
    inSession(async (s) => {
      const topics = await s.call('topics.delete', { name });
      s.print(topics, () => `Deleted topic "${name}"`);
    }));

  const role = program.command('role').description('role addresses (info@, support@ …) ignored as Group email');
  role
    .command('ls')
    .description('your prefixes and approved exceptions (--builtin: the built-in list too)')
    .option('--builtin', 'also print the built-in prefixes')
    .action((o: { builtin?: boolean }) =>
      inSession(async (s) => {
        const r = await s.call('roles.get', {});
        s.print(
          { builtin_count: r.builtin.length, ...(o.builtin ? { builtin: r.builtin } : {}), prefixes: r.extraPrefixes, exceptions: r.exceptions },
          () => [
            `Built-in prefixes: ${r.builtin.length}${o.builtin ? `\n  ${r.builtin.join(', ')}` : ' (see them with --builtin)'}`,
            `Your prefixes: ${r.extraPrefixes.length ? r.extraPrefixes.join(', ') : '—'}`,
            `Approved addresses: ${r.exceptions.length ? r.exceptions.join(', ') : '—'}`,
          ].join('\n'),
        );
      }));
  const roleChange = (
    name: string, description: string, call: (s: CliSession, value: string) => ReturnType<CliSession['call']>, done: (v: string) => string,
  ) =>
    role.command(`${name} <value>`).description(description).action((value: string) =>
      inSession(async (s) => {
        const r = await call(s, value);
        s.print(r, () => done(value));
      }));
  roleChange('add-prefix', 'ignore addresses with this local part as Group email', (s, v) => s.call('roles.addPrefix', { prefix: v }), (v) => `${v}@ is now a role prefix`);
  roleChange('rm-prefix', 'remove one of your prefixes', (s, v) => s.call('roles.removePrefix', { prefix: v }), (v) => `${v}@ is no longer one of your prefixes`);
  roleChange('allow', 'approve one address a role prefix would ignore', (s, v) => s.call('roles.addException', { email: v }), (v) => `${v} is approved: it is imported like a person's address`);
  roleChange('disallow', 'withdraw an approved address', (s, v) => s.call('roles.removeException', { email: v }), (v) => `${v} is no longer approved`);

  program
    .command('budget <account>')
    .description("an account's daily Zoho API budget: today's use per organization; --plan / --cap change it")
    .option('--plan <plan>', `the account's Zoho plan: ${zohoPlans.join(' | ')}`)
    .option('--cap <n>', 'a custom daily cap (implies --plan custom)')
    .action((id: string, o: { plan?: string; cap?: string }) =>
      inSession(async (s) => {
        const account = (await s.call('accounts.list', {})).find((a) => a.id === id || a.name.toLowerCase() === id.toLowerCase());
        if (!account) throw new Error(`No account ${id}`);
        let current = account;
        if (o.plan !== undefined || o.cap !== undefined) {
          const plan = (o.cap !== undefined ? 'custom' : o.plan) as ZohoPlan;
          if (!(zohoPlans as readonly string[]).includes(plan)) throw new Error(`--plan is one of ${zohoPlans.join(', ')}`);
          const cap = o.cap === undefined ? undefined : Number(o.cap);
          if (cap !== undefined && !Number.isInteger(cap)) throw new Error(`--cap takes a whole number, got "${o.cap}"`);
          const budget: ApiBudgetInput = cap === undefined ? { plan } : { plan, dailyCap: cap };
          current = await s.call('accounts.setBudget', { accountId: account.id, budget });
        }
        const b = current.budget;
        s.print(accountJson(current).api_budget, () =>
          [`${current.name}: plan ${b.plan}, ${b.dailyCap} requests a day per organization (resets ${b.resetsAt})`,
            b.usage.length === 0 ? '  No requests today.' : table(['ORGANIZATION', 'USED TODAY'], b.usage.map((u) => [u.organizationId, String(u.used)]))].join('\n'));
      }));
}

/** ListSync contact fields ("New field" in the app) and the app settings a sync's safety uses. */
export function registerFieldAndSettingCommands(program: Command, inSession: InSession): void {
  const field = program.command('field').description('ListSync contact fields (map Zoho fields to them with sync add --map)');
  field.command('ls').description('the fields, built in and yours').action(() =>
    inSession(async (s) => {
      const fields = await s.call('contacts.fields', {});
      s.print(fields, () => table(['KEY', 'LABEL', 'BUILT IN'], fields.map((f) => [f.key, f.label, f.builtin ? 'yes' : ''])));
    }));
  field.command('add <key> <label>').description('create a field on the spot, e.g. field add gst_number "GST number"').action((key: string, label: string) =>
    inSession(async (s) => {
      const created = await s.call('contacts.addField', { key, label });
      s.print(created, () => `Created field ${created.key} ("${created.label}"). Map it with: --map ${created.key}=<zoho field>`);
    }));

  program
    .command('settings')
    .description('app settings; --pause-after N: a sync pauses itself after N failed scheduled runs in a row')
    .option('--pause-after <n>', 'failed scheduled runs in a row before a sync pauses itself (1–100)')
    .action((o: { pauseAfter?: string }) =>
      inSession(async (s) => {
        let settings = await s.call('settings.get', {});
        if (o.pauseAfter !== undefined) {
          const n = Number(o.pauseAfter);
          if (!Number.isInteger(n)) throw new Error(`--pause-after takes a whole number, got "${o.pauseAfter}"`);
          settings = await s.call('settings.update', { ...settings, pauseAfterFailures: n });
        }
        s.print(settings, () => Object.entries(settings).map(([k, v]) => `${k}: ${String(v)}`).join('\n'));
      }));
}

/** `list remove <list> <email...>`: by hand, remembered by the re-subscription guard. */
export function registerListRemoval(list: Command, inSession: InSession): void {
  list
    .command('remove <list> <emails...>')
    .description('take contacts out of a list (a sync will not put them back silently)')
    .action((id: string, emails: string[]) =>
      inSession(async (s) => {
        const ids: number[] = [];
        const missing: string[] = [];
        for (const email of emails) {
          const page = await s.call('lists.members', { listId: id, search: email, offset: 0, limit: 50 });
          const member = page.members.find((m) => m.email === email.trim().toLowerCase());
          if (member) ids.push(member.contactId);
          else missing.push(email);
        }
        if (ids.length === 0) throw new Error(`None of these addresses is on the list: ${missing.join(', ')}`);
        const r = await s.call('lists.removeMembers', { listId: id, contactIds: ids });
        s.print({ removed: r.removed, not_members: missing }, () =>
          `Removed ${r.removed} contact(s)${missing.length ? `; not on the list: ${missing.join(', ')}` : ''}`);
        if (missing.length) process.exitCode = 1;
      }));
}
