import type { Logger } from './ports';
import { startSandbox, type Sandbox } from './sandbox';

/**
 * The built-in demo organization: the Invoice sandbox, started in-process on loopback the first
 * time the demo account is used. Its data is generated from a fixed seed, so every start shows the
 * same organization.
 */
export class DemoSandbox {
  private sandbox: Promise<Sandbox> | null = null;
  /** Known once started: lets the source factory recognise the demo's API root synchronously. */
  apiRoot: string | null = null;

  constructor(private readonly logger: Logger, private readonly keyForStart: () => Promise<string | null>) {}

  ensureStarted(): Promise<Sandbox> {
    this.sandbox ??= (async () => {
      // A demo key the user rotated earlier is still the valid one after a restart.
      const key = (await this.keyForStart()) ?? undefined;
      const sandbox = await startSandbox(key ? { key } : {});
      this.apiRoot = sandbox.apiRoot;
      this.logger.log('info', 'demo.started', { apiRoot: sandbox.apiRoot });
      return sandbox;
    })();
    return this.sandbox;
  }

  get started(): boolean {
    return this.sandbox !== null;
  }

  async close(): Promise<void> {
    if (this.sandbox) await (await this.sandbox).close();
    this.sandbox = null;
    this.apiRoot = null;
  }
}
