import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContractError, type Channel, type Reply, type Request } from '../../main/common/contract';
import { defaultMapping } from '../../main/common/domain/mapping';
import type { NewSyncInput } from '../../main/common/domain/sync';
import { createCore, type Core } from '../../main/core/createCore';
import type { Clock, SecretStore, Timer } from '../../main/core/ports';
import type { ReadPolicy } from '../../main/core/sync/readPlan';
import { startSandbox, type Sandbox, type SandboxOrgInput } from '../../main/core/sandbox';
import { KeychainSecretStore } from '../../main/core/secrets/keychainSecretStore';

export const fastZoho = { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 5_000 } as const;

export interface Harness {
  core: Core;
  sandbox: Sandbox;
  dataDir: string;
  secrets: SecretStore;
  call<C extends Channel>(channel: C, request: Request<C>): Promise<Reply<C>>;
  /** Adds the sandbox as an account (real key check, key into the real keychain). */
  addAccount(name?: string): Promise<string>;
  addList(name?: string): Promise<string>;
  addSync(partial: Partial<NewSyncInput> & { accountId: string; listId: string }): Promise<string>;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** A scratch data folder, a core over it with the real keychain, and a sandbox with the given orgs. */
export async function createHarness(options: {
  organizations?: SandboxOrgInput[];
  secrets?: SecretStore;
  /** A controlled clock and timer (schedule tests). */
  time?: Clock & Timer;
  readPolicy?: ReadPolicy;
  scratchMemoryEntries?: number;
  batchRecords?: number;
} = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'listsync-test-'));
  const sandbox = await startSandbox(options.organizations ? { organizations: options.organizations } : {});
  const secrets = options.secrets ?? new KeychainSecretStore();
  const open = () => createCore({ dataDir, secrets, runtime: 'test', zoho: fastZoho, ...(options.time ? { clock: options.time, timer: options.time } : {}), ...(options.readPolicy ? { readPolicy: options.readPolicy } : {}), ...(options.scratchMemoryEntries ? { scratchMemoryEntries: options.scratchMemoryEntries } : {}), ...(options.batchRecords ? { batchRecords: options.batchRecords } : {}) });
  const h: Harness = {
    core: open(),
    sandbox,
    dataDir,
    secrets,
    async call(channel, request) {
      const reply = await h.core.call(channel, request);
      if (!reply.ok) throw new ContractError(reply.error);
      return reply.value as never;
    },
    async addAccount(name = 'Sandbox') {
      const account = await h.call('accounts.add', { name, endpoint: { baseUrl: sandbox.apiRoot }, key: sandbox.key });
      return account.id;
    },
    async addList(name = 'Customers') {
      return (await h.call('lists.create', { name })).id;
    },
    async addSync(partial) {
      const sync: NewSyncInput = {
        name: 'Test sync',
        organizationId: sandbox.organizations[0]!,
        importOption: { kind: 'all' },
        mapping: defaultMapping(),
        updatePolicy: 'overwrite',
        updateEmptyValues: false,
        schedule: { kind: 'once' },
        retrievalStart: { kind: 'all' },
        ...partial,
      };
      return (await h.call('syncs.create', { sync, runNow: false })).id;
    },
    async reopen() {
      await h.core.close();
      h.core = open();
    },
    async close() {
      await h.core.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Rows of a table as plain objects, for state comparisons. */
export function tableRows(core: Core, sql: string): unknown[] {
  return core.store.db.prepare(sql).all();
}

/** The part of the database a user sees: contacts, their states and list memberships. */
export function userVisibleState(core: Core): { contacts: unknown[]; members: unknown[] } {
  return {
    contacts: tableRows(core, 'SELECT email, state, first_name, last_name, fields FROM contacts ORDER BY email'),
    members: tableRows(core, 'SELECT l.name AS list, c.email FROM list_members m JOIN contacts c ON c.id = m.contact_id JOIN mailing_lists l ON l.id = m.list_id ORDER BY l.name, c.email'),
  };
}
