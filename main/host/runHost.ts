// `listsync ui`: the browser host over the user's data folder, the real keychain and the file
// log, until Ctrl+C. The lead's CLI (main/cli/serve.ts) registers the command with this.
import { spawn } from 'node:child_process';
import { createCore, type Core } from '../core/createCore';
import { createFileLogger } from '../core/logging';
import type { Logger, SecretStore } from '../core/ports';
import { KeychainSecretStore } from '../core/secrets/keychainSecretStore';
import { startBrowserHost, type BrowserHost } from './browserHost';
import { defaultRendererDir, ensureRendererBuilt } from './rendererBuild';

export interface RunBrowserHostOptions {
  dataDir: string;
  /** Connect the built-in demo organization when there is no account yet. */
  demo: boolean;
  port?: number;
  /** Open the URL in the system browser. */
  open?: boolean;
  /** Defaults to out/renderer of this checkout, built first when missing or stale. */
  rendererDir?: string;
  /** Defaults to the OS keychain. */
  secrets?: SecretStore;
  /** Defaults to the rotating log in the data folder. */
  logger?: Logger;
  /** Close on SIGINT/SIGTERM and exit (default true; tests pass false). */
  handleSignals?: boolean;
  /** Where the lines for the user go (default stdout). */
  print?: (line: string) => void;
}

export interface RunningBrowserHost {
  readonly url: string;
  readonly port: number;
  readonly core: Core;
  readonly host: BrowserHost;
  close(): Promise<void>;
}

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]]
      : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener: the URL is printed anyway.
  }
}

export async function runBrowserHost(options: RunBrowserHostOptions): Promise<RunningBrowserHost> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  let rendererDir = options.rendererDir;
  if (!rendererDir) {
    if (await ensureRendererBuilt({ whenStale: true, stdio: 'pipe' })) print('Built the UI (out/renderer).');
    rendererDir = defaultRendererDir();
  }

  const logger = options.logger ?? createFileLogger(options.dataDir);
  const keychain = options.secrets ? null : new KeychainSecretStore();
  const secrets = options.secrets ?? keychain!;
  const core = createCore({
    dataDir: options.dataDir, secrets, logger, runtime: 'browser-host',
    ...(keychain ? { probeKeychain: () => keychain.probe() } : {}),
  });

  let host: BrowserHost;
  try {
    host = await startBrowserHost({ core, rendererDir, port: options.port ?? 0, logger });
  } catch (error) {
    await core.close();
    throw error;
  }

  // The browser host keeps schedules running, as the tray app does.
  core.startScheduler();

  if (options.demo) {
    const accounts = await core.call('accounts.list', {});
    if (accounts.ok && Array.isArray(accounts.value) && accounts.value.length === 0) {
      const demo = await core.call('accounts.connectDemo', {});
      if (demo.ok) print('Connected the demo organization (a local Zoho Invoice sandbox).');
      else print(`Could not connect the demo organization: ${demo.error.message}`);
    }
  }

  let closing: Promise<void> | null = null;
  const onSignal = () => {
    void close().then(() => process.exit(0), () => process.exit(1));
  };
  const close = () => {
    closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await host.close();
      await core.close();
    })();
    return closing;
  };
  if (options.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  print(`ListSync is running at ${host.url}`);
  print('Open that address in a browser on this machine (it holds the session token). Press Ctrl+C to stop.');
  if (options.open) openInBrowser(host.url);

  return { url: host.url, port: host.port, core, host, close };
}
