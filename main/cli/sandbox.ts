import type { Command } from 'commander';
import { startSandbox } from '../core/sandbox';

export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description('run the Invoice sandbox (a local Zoho Invoice API with demo data) in the foreground')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--contacts <n>', 'generated contacts in the demo organization')
    .option('--seed <s>', 'seed of the generated data', '1')
    .action(async (o: { port: string; contacts?: string; seed: string }) => {
      const sandbox = await startSandbox({
        port: Number(o.port),
        seed: Number(o.seed),
        ...(o.contacts ? { organizations: [{ name: 'Zylker Demo Traders', generate: { count: Number(o.contacts), seed: Number(o.seed) } }] } : {}),
      });
      const json = program.opts<{ json?: boolean }>().json;
      const info = { api_root: sandbox.apiRoot, key: sandbox.key, organizations: sandbox.organizations };
      process.stdout.write(json ? `${JSON.stringify(info)}\n` :
        `Invoice sandbox listening.\n  API root: ${sandbox.apiRoot}\n  Demo key: ${sandbox.key}\n` +
        `Try: echo ${sandbox.key} | listsync account add Demo --base-url ${sandbox.apiRoot}\nCtrl+C stops it.\n`);
      const stop = () => void sandbox.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await new Promise(() => undefined);
    });
}
