import type { Command } from 'commander';
import { runJson } from './format';
import type { CliSession } from './io';

type InSession = (fn: (s: CliSession) => Promise<void>) => Promise<void>;

function runIdOf(arg: string): number {
  const id = Number(arg);
  if (!Number.isInteger(id) || id < 1) throw new Error(`A run is given by its number, got "${arg}"`);
  return id;
}

/** `listsync run …`: what can be done to one run (its history is under `sync history` / `sync outcomes`). */
export function registerRunCommands(program: Command, inSession: InSession): void {
  const run = program.command('run').description('one run of a sync');

  run
    .command('undo <run>')
    .description('revert what one run did to its list (refused, with the reason, when a later run or a change by hand touched the same contacts)')
    .option('--check', 'only say whether the run can be undone, and how many contacts it would restore')
    .action((arg: string, o: { check?: boolean }) =>
      inSession(async (s) => {
        const runId = runIdOf(arg);
        if (o.check) {
          const c = await s.call('runs.undoCheck', { runId });
          s.print({ run_id: runId, undoable: c.undoable, reason: c.reason, contacts: c.contacts }, () =>
            c.undoable ? `Run #${runId} can be undone: ${c.contacts} contact(s) would be restored.` : (c.reason ?? `Run #${runId} cannot be undone.`));
          if (!c.undoable) process.exitCode = 1;
          return;
        }
        const u = await s.call('runs.undo', { runId });
        s.print({ ...runJson(u), undo_of: u.undoOf, reverted: u.counts.reverted }, () =>
          `Run #${u.id} undid run #${runId}: ${u.counts.reverted} contact(s) put back as they were.`);
      }),
    );
}
