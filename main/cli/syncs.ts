import type { Command } from 'commander';
import { ignoreReasons, outcomeKinds, type IgnoreReason, type OutcomeKind } from '../common/domain/outcome';
import { defaultMapping, updatePolicies, type FieldMapping, type UpdatePolicy } from '../common/domain/mapping';
import { weekdays, type Schedule } from '../common/domain/schedule';
import type { ImportOption } from '../common/domain/criteria';
import { defaultSubscription, type NewSyncInput } from '../common/domain/sync';
import { addSafetyFlags, safetyOptions, type SafetyFlags } from './syncOptions';
import { budgetStatus, budgetStopMessage } from '../core/schedule/budget';
import { countsLine, runJson, syncJson, syncText } from './format';
import { table, type CliSession } from './io';
import { parseWhere } from './parseWhere';

type InSession = (fn: (s: CliSession) => Promise<void>) => Promise<void>;

interface AddOptions extends SafetyFlags {
  account: string; org: string; list: string;
  /** --name NAME gives a string; --no-name gives false. */
  name?: string | boolean;
  where: string[]; match: 'all' | 'any'; map: string[]; update: string;
  once?: boolean; daily?: boolean; weekly?: string; monthly?: string; at: string; tz: string; after?: string;
  updateEmpty?: boolean;
  runNow?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function scheduleOf(o: AddOptions): Schedule {
  const chosen = [o.once, o.daily, o.weekly !== undefined, o.monthly !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new Error('Choose one of --once, --daily, --weekly DAY, --monthly N');
  if (o.daily) return { kind: 'daily', at: o.at, timeZone: o.tz };
  if (o.weekly !== undefined) {
    const day = o.weekly.toLowerCase();
    const weekday = weekdays.find((w) => w === day || w.slice(0, 3) === day);
    if (!weekday) throw new Error(`--weekly takes a weekday (${weekdays.join(', ')})`);
    return { kind: 'weekly', weekday, at: o.at, timeZone: o.tz };
  }
  if (o.monthly !== undefined) return { kind: 'monthly', dayOfMonth: Number(o.monthly), at: o.at, timeZone: o.tz };
  return { kind: 'once' };
}

function mappingOf(o: AddOptions, noName: boolean): FieldMapping {
  let mapping = defaultMapping();
  if (noName) mapping = mapping.filter((m) => m.target === 'email');
  for (const entry of o.map) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`--map takes TARGET=SOURCE, got "${entry}"`);
    const target = entry.slice(0, eq).trim();
    const source = entry.slice(eq + 1).trim();
    mapping = [...mapping.filter((m) => m.target !== target), { target, source }];
  }
  return mapping;
}

export function registerSyncCommands(program: Command, inSession: InSession): void {
  const sync = program.command('sync').description('syncs from Zoho Invoice to mailing lists');

  addSafetyFlags(sync
    .command('add')
    .description('create a sync (All contacts, or Criteria with --where)')
    .requiredOption('--account <account>', 'account id or name')
    .requiredOption('--org <org>', 'organization id or name')
    .requiredOption('--list <list>', 'target mailing list id or name')
    .option('--name <name>', 'a name for the sync')
    .option('--where <condition>', "criteria, repeatable: 'FIELD OP VALUE'", collect, [])
    .option('--match <all|any>', 'criteria match all or any', 'all')
    .option('--map <target=source>', 'map a field, repeatable', collect, [])
    .option('--no-name', 'do not map first and last name')
    .option('--update <policy>', `existing contacts: ${updatePolicies.join(' | ')}`, 'overwrite')
    .option('--update-empty', 'a field emptied in Zoho Invoice empties it here (Update empty field value)')
    .option('--once', 'one-time retrieval (default)')
    .option('--daily', 'every day')
    .option('--weekly <day>', 'every week on DAY')
    .option('--monthly <n>', 'every month on day N (1–31; shorter months run on their last day)')
    .option('--at <HH:MM>', 'time of day', '09:00')
    .option('--tz <zone>', 'IANA time zone', Intl.DateTimeFormat().resolvedOptions().timeZone)
    .option('--after <iso>', 'first run imports only contacts added or modified after this date-time')
    .option('--run-now', 'run it once right away and wait (a recurring sync then keeps its schedule)'))
    .action((o: AddOptions) =>
      inSession(async (s) => {
        if (!(updatePolicies as readonly string[]).includes(o.update)) throw new Error(`--update is one of ${updatePolicies.join(', ')}`);
        if (o.match !== 'all' && o.match !== 'any') throw new Error('--match is all or any');
        const account = (await s.call('accounts.list', {})).find((a) => a.id === o.account || a.name.toLowerCase() === o.account.toLowerCase());
        if (!account) throw new Error(`No account ${o.account}`);
        const orgs = await s.call('accounts.organizations', { accountId: account.id });
        const org = orgs.find((x) => x.id === o.org || x.name.toLowerCase() === o.org.toLowerCase());
        if (!org) throw new Error(`"${account.name}" has no organization ${o.org}. Organizations: ${orgs.map((x) => `${x.name} (${x.id})`).join(', ')}`);
        const list = (await s.call('lists.list', {})).find((l) => l.id === o.list || l.name.toLowerCase() === o.list.toLowerCase());
        if (!list) throw new Error(`No mailing list ${o.list}. Create it with: listsync list add NAME`);
        let importOption: ImportOption = { kind: 'all' };
        if (o.where.length > 0) {
          const { fields } = await s.call('accounts.sourceFields', { accountId: account.id, organizationId: org.id });
          importOption = { kind: 'criteria', criteria: { match: o.match, conditions: o.where.map((w: string) => parseWhere(w, fields)) } };
        }
        // commander turns --no-name into name === false; a string is --name NAME.
        const noName = o.name === false;
        const after = o.after ? new Date(o.after) : null;
        if (after && Number.isNaN(after.getTime())) throw new Error(`--after is not a date: ${o.after}`);
        const draft: NewSyncInput = {
          name: typeof o.name === 'string' ? o.name : `${org.name} → ${list.name}`,
          accountId: account.id, organizationId: org.id, listId: list.id, importOption,
          mapping: mappingOf(o, noName), updatePolicy: o.update as UpdatePolicy, updateEmptyValues: o.updateEmpty === true,
          schedule: scheduleOf(o),
          retrievalStart: after ? { kind: 'after', after: after.toISOString() } : { kind: 'all' },
          ...safetyOptions(o, { subscription: defaultSubscription(), readdPolicy: 'join', exitPolicy: 'keep' }),
        };
        const created = await s.call('syncs.create', { sync: draft, runNow: false });
        if (!o.runNow) {
          s.print(syncJson(created), () => `Created sync "${created.name}" (${created.id}). Run it with: listsync sync run ${created.id}`);
          return;
        }
        const result = await s.core.runAndWait(created.id, 'manual');
        const run = s.core.store.runs.get(result.runId!)!;
        s.print({ ...syncJson(created), first_run: runJson(run) }, () =>
          `Created sync "${created.name}" (${created.id}); run #${run.id}: ${run.status}${run.error ? ` — ${run.error}` : ''}\n${countsLine(run.counts)}`);
        if (run.status !== 'succeeded') process.exitCode = 1;
      }),
    );

  addSafetyFlags(sync
    .command('edit <sync>')
    .description('change a sync\'s name, update policy, subscription details and safety rails (other options: the app)')
    .option('--name <name>', 'a new name')
    .option('--update <policy>', `existing contacts: ${updatePolicies.join(' | ')}`)
    .option('--update-empty', 'a field emptied in Zoho Invoice empties it here')
    .option('--keep-empty', 'a field emptied in Zoho Invoice keeps the value here'))
    .action((id: string, o: SafetyFlags & { name?: string; update?: string; updateEmpty?: boolean; keepEmpty?: boolean }) =>
      inSession(async (s) => {
        const x = await s.call('syncs.get', { syncId: id });
        if (o.update !== undefined && !(updatePolicies as readonly string[]).includes(o.update)) throw new Error(`--update is one of ${updatePolicies.join(', ')}`);
        if (o.updateEmpty && o.keepEmpty) throw new Error('Choose one of --update-empty and --keep-empty');
        const updated = await s.call('syncs.update', {
          syncId: x.id,
          edit: {
            name: o.name ?? x.name, mapping: x.mapping, schedule: x.schedule, retrievalStart: x.retrievalStart,
            updatePolicy: (o.update as UpdatePolicy | undefined) ?? x.updatePolicy,
            updateEmptyValues: o.updateEmpty ? true : o.keepEmpty ? false : x.updateEmptyValues,
            ...safetyOptions(o, x),
          },
        });
        s.print(syncJson(updated), () => `Updated "${updated.name}"\n${syncText(updated)}`);
      }),
    );

  for (const [name, paused] of [['pause', true], ['resume', false]] as const) {
    sync.command(`${name} <sync>`).description(paused ? 'pause a sync (no scheduled runs until resumed)' : 'resume a paused sync').action((id: string) =>
      inSession(async (s) => {
        const x = await s.call('syncs.setPaused', { syncId: id, paused });
        s.print(syncJson(x), () => `"${x.name}" is ${x.paused ? 'paused' : 'resumed'}${x.nextRunAt ? `; next run ${x.nextRunAt}` : ''}`);
      }),
    );
  }

  sync.command('ls').description('syncs with status, last and next run').action(() =>
    inSession(async (s) => {
      const syncs = await s.call('syncs.list', {});
      s.print(syncs.map(syncJson), () =>
        syncs.length === 0 ? 'No syncs. Create one with: listsync sync add --account A --org ORG --list L'
          : table(['ID', 'NAME', 'STATUS', 'LAST RUN', 'NEXT RUN'], syncs.map((x) => [
              x.id, x.name, x.running ? 'running' : !x.active ? 'inactive' : x.paused ? 'paused' : x.waiting ? 'waiting' : 'active',
              x.lastRun ? `${x.lastRun.status} ${x.lastRun.startedAt}` : '—', x.nextRunAt ?? '—',
            ])));
    }),
  );

  sync.command('show <sync>').description('a sync\'s settings, status and next runs').action((id: string) =>
    inSession(async (s) => {
      const x = await s.call('syncs.get', { syncId: id });
      const preview = x.schedule.kind === 'once' ? [] : await s.call('syncs.previewSchedule', { schedule: x.schedule, count: 5 });
      s.print({ ...syncJson(x), schedule_preview: preview }, () =>
        [syncText(x), ...(preview.length ? ['  Next runs:', ...preview.map((p) => `    ${p.local}${p.dst ? `  ⚠ ${p.dst.note}` : ''}`)] : [])].join('\n'));
    }),
  );

  sync
    .command('run <sync>')
    .description('run a sync now and wait for it (--dry-run: count outcomes, write nothing)')
    .option('--dry-run', 'compute outcomes and counts without writing')
    .action((id: string, o: { dryRun?: boolean }) =>
      inSession(async (s) => {
        const x = await s.call('syncs.get', { syncId: id });
        if (o.dryRun) {
          const r = await s.call('syncs.dryRun', { syncId: x.id });
          if (r.error) throw new Error(r.error.message);
          s.print({ run_id: null, status: 'dry-run', dry_run: true, counts: r.counts }, () => `Dry run of "${x.name}" (nothing written)\n${countsLine(r.counts)}`);
          return;
        }
        if (!x.active) throw new Error(`"${x.name}" is inactive (${x.inactiveReason ?? 'deactivated'}). Activate it with: listsync sync activate ${x.id}`);
        // As the app's Run now: refused before anything is recorded when today's budget is used up.
        const budget = budgetStatus(s.core.store, x, new Date());
        if (budget.exhausted) throw new Error(budgetStopMessage(budget, x.organizationName, false));
        const result = await s.core.runAndWait(x.id, 'manual');
        const run = s.core.store.runs.get(result.runId!)!;
        s.print(runJson(run), () =>
          `Run #${run.id} of "${x.name}": ${run.status}${run.error ? ` — ${run.error}` : ''}\n${countsLine(run.counts)}`);
        if (run.status !== 'succeeded') process.exitCode = 1;
      }),
    );

  sync
    .command('history <sync>')
    .description('a sync\'s runs, newest first')
    .option('--limit <n>', 'how many', '50')
    .action((id: string, o: { limit: string }) =>
      inSession(async (s) => {
        const h = await s.call('runs.history', { syncId: id, offset: 0, limit: Number(o.limit) });
        s.print(h.runs.map(runJson), () =>
          table(['RUN', 'TRIGGER', 'STATUS', 'STARTED', 'TOTAL', 'NEW', 'RE-ADDED', 'HELD', 'DUP', 'IGNORED', 'DELETED', 'EXITED'], h.runs.map((r) => [
            String(r.id), r.undoOf !== null ? `undo of #${r.undoOf}` : r.trigger, r.status, r.startedAt,
            ...[r.counts.total, r.counts.new, r.counts.readded, r.counts.held, r.counts.duplicate, r.counts.ignored, r.counts.deleted, r.counts.exited].map(String),
          ])));
      }),
    );

  sync
    .command('outcomes <run>')
    .description('what each record became in a run')
    .option('--outcome <kind>', outcomeKinds.join(' | '))
    .option('--reason <reason>', `ignored reason: ${ignoreReasons.join(' | ')}`)
    .option('--limit <n>', 'how many', '100')
    .option('--offset <n>', 'skip', '0')
    .option('--csv', 'print all matching outcomes as CSV')
    .action((runArg: string, o: { outcome?: string; reason?: string; limit: string; offset: string; csv?: boolean }) =>
      inSession(async (s) => {
        const runId = Number(runArg);
        const reason = o.reason as IgnoreReason | undefined;
        const outcome = (o.outcome ?? (reason ? 'ignored' : undefined)) as OutcomeKind | undefined;
        if (o.csv) {
          const file = await s.call('runs.exportCsv', { runId, outcome, reason });
          if (s.json) s.print({ filename: file.filename, rows: file.rows, csv: file.csv }, () => '');
          else process.stdout.write(file.csv);
          return;
        }
        const page = await s.call('runs.outcomes', { runId, outcome, reason, offset: Number(o.offset), limit: Number(o.limit) });
        s.print({ run_id: runId, total: page.total, outcomes: page.outcomes }, () =>
          `${page.total} outcome(s)\n` + table(['OUTCOME', 'REASON', 'EMAIL', 'ZOHO CONTACT', 'DETAIL'], page.outcomes.map((x) => [
            x.outcome, x.reason ?? '', x.email ?? '', x.sourceName ?? x.sourceContactId ?? '', x.detail ?? '',
          ])));
      }),
    );

  for (const [name, active] of [['activate', true], ['deactivate', false]] as const) {
    sync.command(`${name} <sync>`).description(`${name} a sync`).action((id: string) =>
      inSession(async (s) => {
        const x = await s.call('syncs.setActive', { syncId: id, active });
        s.print(syncJson(x), () => `"${x.name}" is ${x.active ? 'active' : 'inactive'}`);
      }),
    );
  }

  sync.command('activate-all <account>').description('activate every sync of an account (after a key change)').action((id: string) =>
    inSession(async (s) => {
      const xs = await s.call('syncs.activateAll', { accountId: id });
      s.print(xs.map(syncJson), () => `${xs.filter((x) => x.active).length} sync(s) active`);
    }),
  );

  sync.command('delete <sync>').description('delete a sync and its history (list members stay)').action((id: string) =>
    inSession(async (s) => {
      const x = await s.call('syncs.get', { syncId: id });
      await s.call('syncs.delete', { syncId: x.id });
      s.print({ id: x.id, deleted: true }, () => `Deleted "${x.name}"`);
    }),
  );
}
