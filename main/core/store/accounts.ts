import type { Database } from 'better-sqlite3';
import type { Account, AccountEndpoint, DataCenterId } from '../../common/domain/account';

interface AccountRow {
  id: string;
  name: string;
  data_center: DataCenterId | null;
  base_url: string | null;
  key_last4: string;
  is_demo: number;
  created_at: string;
  sync_count: number;
  inactive_sync_count: number;
}

const select = `
  SELECT a.*,
    (SELECT COUNT(*) FROM syncs s WHERE s.account_id = a.id) AS sync_count,
    (SELECT COUNT(*) FROM syncs s WHERE s.account_id = a.id AND s.active = 0) AS inactive_sync_count
  FROM accounts a`;

function toAccount(r: AccountRow): Account {
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
  };
}

/** Accounts hold where the API lives and the key's last four characters, never the key. */
export class AccountsRepo {
  constructor(private readonly db: Database) {}

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
    return (this.db.prepare(`${select} ORDER BY a.name`).all() as AccountRow[]).map(toAccount);
  }

  get(id: string): Account | null {
    const row = this.db.prepare(`${select} WHERE a.id = ?`).get(id) as AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  /** By id, or by name (case-insensitive), as the CLI accepts either. */
  find(idOrName: string): Account | null {
    const row = this.db
      .prepare(`${select} WHERE a.id = ? OR a.name = ? COLLATE NOCASE ORDER BY a.id = ? DESC LIMIT 1`)
      .get(idOrName, idOrName, idOrName) as AccountRow | undefined;
    return row ? toAccount(row) : null;
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
