import type { Command } from 'commander';
import { createCore } from '../core/createCore';
import { createFileLogger } from '../core/logging';
import { defaultDataDir } from '../core/paths';
import { KeychainSecretStore } from '../core/secrets/keychainSecretStore';
import { runBrowserHost } from '../host/runHost';
import type { GlobalOptions } from './io';

/** Resolves when the process is asked to stop (Ctrl+C or a service manager's SIGTERM). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

export function registerServeCommands(program: Command): void {
  program
    .command('ui')
    .description('serve the ListSync app to a browser on 127.0.0.1 (with a per-start token) and keep schedules running')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--demo', 'connect the built-in demo organization when there is no account yet')
    .option('--open', 'open the address in the system browser')
    .action(async (o: { port: string; demo?: boolean; open?: boolean }) => {
      const opts = program.opts<GlobalOptions>();
      await runBrowserHost({
        dataDir: opts.dataDir ?? defaultDataDir(), demo: o.demo === true, port: Number(o.port), open: o.open === true,
      });
      await new Promise(() => undefined); // runs until a signal closes it
    });

  program
    .command('daemon')
    .description('keep scheduled syncs running without a window (catches up on missed runs at start)')
    .action(async () => {
      const opts = program.opts<GlobalOptions>();
      const dataDir = opts.dataDir ?? defaultDataDir();
      const logger = createFileLogger(dataDir);
      const secrets = new KeychainSecretStore();
      const core = createCore({ dataDir, secrets, runtime: 'cli', logger, probeKeychain: () => secrets.probe() });
      const say = (line: string) => process.stdout.write(`${line}\n`);
      core.events.on('run.started', ({ syncId, runId }) => say(`run ${runId} of ${syncId} started`));
      core.events.on('run.finished', ({ syncId, runId, status, counts, error }) =>
        say(`run ${runId} of ${syncId} ${status}: ${counts.total} total, ${counts.new} new, ${counts.readded} re-added, ` +
          `${counts.duplicate} duplicate, ${counts.ignored} ignored, ${counts.deleted} deleted${error ? ` (${error.message})` : ''}`));
      core.startScheduler();
      const armed = core.store.syncs.list().filter((s) => s.nextRunAt !== null);
      say(`ListSync daemon: ${armed.length} scheduled sync(s) in ${dataDir}. Ctrl+C stops it.`);
      for (const s of armed) say(`  ${s.name}: next run ${s.nextRunAt}`);
      const signal = await untilSignal();
      say(`Stopping (${signal}); a running sync is cancelled and stays consistent.`);
      await core.close();
      process.exit(0);
    });
}
