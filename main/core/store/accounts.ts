import type { Database, Statement } from 'better-sqlite3';
import { planDailyCaps, type Account, type AccountEndpoint, type ApiBudgetInput, type DataCenterId, type ZohoPlan } from '../../common/domain/account';

/** The UTC day of an instant, as api_usage stores it. */
export function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Start of the UTC day after `at`: when the daily counts begin again. */
export function nextUsageDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

interface AccountRow {
  id: string;
  name: string;
  data_center: DataCenterId | null;
  base_url: string | null;
  key_last4: string;
  is_demo: number;
  created_at: string;
  plan: ZohoPlan;
  daily_cap: number;
  sync_count: number;
  inactive_sync_count: number;
}

const select = `
  SELECT a.*,
    (SELECT COUNT(*) FROM syncs s WHERE s.account_id = a.id) AS sync_count,
    (SELECT COUNT(*) FROM syncs s WHERE s.account_id = a.id AND s.active = 0) AS inactive_sync_count
  FROM accounts a`;

function toAccount(r: AccountRow, usage: Array<{ organizationId: string; used: number }>, now: Date): Account {
  return {
    id: r.id,
    name: r.name,
    dataCenter: r.data_center,
    baseUrl: r.base_url,
    keyLast4: r.key_last4,
    createdAt: r.created_at,
    syncCount: r.sync_count,
    inactiveSyncCount: r.inactive_sync_count,
    isDemo: r.is_demo === 1,
    budget: { plan: r.plan, dailyCap: r.daily_cap, resetsAt: nextUsageDay(now).toISOString(), usage },
  };
}

/** Accounts hold where the API lives and the key's last four characters, never the key. */
export class AccountsRepo {
  private countStmt: Statement | null = null;

  /** `now` tells which UTC day "today" is (the core's clock). */
  constructor(private readonly db: Database, private readonly now: () => Date = () => new Date()) {}

  private toAccount(r: AccountRow): Account {
    const now = this.now();
    const usage = (this.db
      .prepare('SELECT organization_id AS organizationId, requests AS used FROM api_usage WHERE account_id = ? AND day = ? ORDER BY organization_id')
      .all(r.id, usageDay(now)) as Array<{ organizationId: string; used: number }>);
    return toAccount(r, usage, now);
  }

  /** Counts one API request against today's budget of an organization. */
  countRequest(accountId: string, organizationId: string, at: Date): void {
    this.countStmt ??= this.db.prepare(
      `INSERT INTO api_usage (account_id, organization_id, day, requests) VALUES (?, ?, ?, 1)
       ON CONFLICT (account_id, organization_id, day) DO UPDATE SET requests = requests + 1`,
    );
    this.countStmt.run(accountId, organizationId, usageDay(at));
  }

  /** Requests an organization has used today, and the account's daily cap. */
  usageToday(accountId: string, organizationId: string, at: Date): { used: number; cap: number } {
    const used = (this.db
      .prepare('SELECT requests FROM api_usage WHERE account_id = ? AND organization_id = ? AND day = ?')
      .pluck()
      .get(accountId, organizationId, usageDay(at)) as number | undefined) ?? 0;
    const cap = this.db.prepare('SELECT daily_cap FROM accounts WHERE id = ?').pluck().get(accountId) as number | undefined;
    return { used, cap: cap ?? 0 };
  }

  setBudget(id: string, budget: ApiBudgetInput): void {
    const cap = budget.plan === 'custom' ? budget.dailyCap! : planDailyCaps[budget.plan];
    this.db.prepare('UPDATE accounts SET plan = ?, daily_cap = ? WHERE id = ?').run(budget.plan, cap, id);
  }

  /** The id comes first because the key is stored in the keychain under it before the row exists. */
  createWithId(id: string, input: { name: string; endpoint: AccountEndpoint; keyLast4: string; isDemo?: boolean; now: string }): Account {
    const dc = 'dataCenter' in input.endpoint ? input.endpoint.dataCenter : null;
    const base = 'baseUrl' in input.endpoint ? input.endpoint.baseUrl : null;
    this.db
      .prepare(
        `INSERT INTO accounts (id, name, data_center, base_url, key_last4, is_demo, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.name, dc, base, input.keyLast4, input.isDemo ? 1 : 0, input.now);
    return this.get(id)!;
  }

  list(): Account[] {
    return (this.db.prepare(`${select} ORDER BY a.name`).all() as AccountRow[]).map((r) => this.toAccount(r));
  }

  get(id: string): Account | null {
    const row = this.db.prepare(`${select} WHERE a.id = ?`).get(id) as AccountRow | undefined;
    return row ? this.toAccount(row) : null;
  }

  /** By id, or by name (case-insensitive), as the CLI accepts either. */
  find(idOrName: string): Account | null {
    const row = this.db
      .prepare(`${select} WHERE a.id = ? OR a.name = ? COLLATE NOCASE ORDER BY a.id = ? DESC LIMIT 1`)
      .get(idOrName, idOrName, idOrName) as AccountRow | undefined;
    return row ? this.toAccount(row) : null;
  }

  nameTaken(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM accounts WHERE name = ? COLLATE NOCASE').get(name) !== undefined;
  }

  setKeyLast4(id: string, last4: string): void {
    this.db.prepare('UPDATE accounts SET key_last4 = ? WHERE id = ?').run(last4, id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id);
  }
}
