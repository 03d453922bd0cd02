import { z } from 'zod';
import { ContractError, type Channel, type Reply, type Request } from '../common/contract';
import { createCore, type Core } from '../core/createCore';
import { defaultDataDir } from '../core/paths';
import { KeychainSecretStore } from '../core/secrets/keychainSecretStore';
import { createFileLogger } from '../core/logging';

export interface GlobalOptions {
  json?: boolean;
  dataDir?: string;
}

const int = z.number().int().min(0);
const sandboxClientSchema = z
  .object({
    limits: z.object({ requests: int.min(1), windowMs: int.min(1), concurrent: int.min(1) }).partial().strict().optional(),
    timeoutMs: int.min(1).optional(),
    maxRetries: int.optional(),
    baseDelayMs: int.optional(),
    maxDelayMs: int.optional(),
  })
  .strict();

/**
 * LISTSYNC_SANDBOX_CLIENT: JSON client settings (limits, timeoutMs, retries) for accounts whose API
 * root is on this computer: tests and demos run large sandbox imports at full speed. Accounts on
 * Zoho's data centers never get them, so the real rate limits always hold.
 */
export function sandboxClientOptions(env: NodeJS.ProcessEnv = process.env): z.output<typeof sandboxClientSchema> | undefined {
  const raw = env.LISTSYNC_SANDBOX_CLIENT;
  if (raw === undefined || raw.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('LISTSYNC_SANDBOX_CLIENT is not JSON');
  }
  const parsed = sandboxClientSchema.safeParse(json);
  if (!parsed.success) throw new Error(`LISTSYNC_SANDBOX_CLIENT: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A CLI command's session: one core over the data folder, closed when the command ends. */
export class CliSession {
  private constructor(readonly core: Core, readonly json: boolean) {}

  static open(opts: GlobalOptions): CliSession {
    const dataDir = opts.dataDir ?? defaultDataDir();
    const core = createCore({
      dataDir, secrets: new KeychainSecretStore(), runtime: 'cli', logger: createFileLogger(dataDir),
      sandboxZoho: sandboxClientOptions(),
    });
    return new CliSession(core, opts.json === true);
  }

  /** Calls one contract channel, as the UI would; a typed error becomes the command's failure. */
  async call<C extends Channel>(channel: C, request: Request<C>): Promise<Reply<C>> {
    const reply = await this.core.call(channel, request);
    if (!reply.ok) throw new ContractError(reply.error);
    return reply.value as Reply<C>;
  }

  /** Prints one result: the JSON value with --json, else the human text. */
  print(value: unknown, human: () => string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  }

  close(): Promise<void> {
    return this.core.close();
  }
}

export async function readSecretFromStdin(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    // Read without echo so the key never shows on screen or in the terminal's scrollback.
    process.stderr.write(prompt);
    process.stdin.setRawMode(true);
    return new Promise((resolve) => {
      let value = '';
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            process.stdin.setRawMode(false);
            process.stdin.pause();
            process.stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(value.trim());
            return;
          }
          if (ch === '\u0003') process.exit(130);
          value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
        }
      };
      process.stdin.on('data', onData);
      process.stdin.resume();
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Pads columns for a plain-text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
