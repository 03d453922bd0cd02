import { Command, CommanderError } from 'commander';
import { ContractError } from '../common/contract';
import { CliSession, type GlobalOptions } from './io';
import { registerAccountCommands } from './accounts';
import { registerListCommands } from './lists';
import { registerFieldAndSettingCommands, registerRuleCommands } from './rules';
import { registerSyncCommands } from './syncs';
import { registerRunCommands } from './runs';
import { registerReviewCommands } from './review';
import { registerSandboxCommand } from './sandbox';
import { registerServeCommands } from './serve';

const program = new Command('listsync')
  .description('Keeps mailing lists in step with the contacts of Zoho Invoice.')
  .option('--json', 'print exactly one JSON value on stdout')
  .option('--data-dir <dir>', 'data folder (default: $LISTSYNC_DATA_DIR or the app\'s folder)')
  .showHelpAfterError()
  .exitOverride();

/** Runs a command body in a core session and turns any failure into one line and a non-zero exit. */
export async function inSession(fn: (session: CliSession) => Promise<void>): Promise<void> {
  const opts = program.opts<GlobalOptions>();
  let session: CliSession | null = null;
  try {
    session = CliSession.open(opts);
    await fn(session);
  } finally {
    await session?.close();
  }
}

registerAccountCommands(program, inSession);
registerListCommands(program, inSession);
registerSyncCommands(program, inSession);
registerRunCommands(program, inSession);
registerReviewCommands(program, inSession);
registerRuleCommands(program, inSession);
registerFieldAndSettingCommands(program, inSession);
registerSandboxCommand(program);
registerServeCommands(program);

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ContractError ? error.code : 'error';
  if (program.opts<GlobalOptions>().json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  process.stderr.write(`listsync: ${message.split('\n')[0]}\n`);
  if (error instanceof ContractError && error.issues) {
    for (const issue of error.issues) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
  }
  process.exit(1);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  fail(error);
}
