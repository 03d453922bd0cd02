// Shared pieces of the reliability campaigns: a seeded generator, database checks made from
// outside the app (read-only connections), byte snapshots of folders, and the campaign report.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seeded(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  };
}

/** The tallies every campaign prints: what it tried and how each case ended. */
export interface CampaignCounts {
  tried: number;
  recovered: number;
  failedCleanly: number;
  lost: number;
  [more: string]: number;
}

export function printCampaign(name: string, counts: CampaignCounts, details: Record<string, unknown> = {}): void {
  const extra = Object.entries(details).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  console.log(`[reliability] ${name}: ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' ')}${extra ? ` ${extra}` : ''}`);
}

/** Every file under a folder, by relative path, with its bytes. */
export function folderBytes(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? join(sub, name) : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else files.set(rel, readFileSync(join(dir, rel)));
    }
  };
  walk('');
  return files;
}

/** Names of files that differ (added, removed or changed) between two folder snapshots. */
export function folderDiff(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => {
    const a = before.get(n);
    const b = after.get(n);
    return !a || !b || !a.equals(b);
  }).sort();
}

export interface DbHealth {
  integrity: unknown;
  foreignKeys: unknown[];
}

/** integrity_check and foreign_key_check through a read-only connection (never writes the file). */
export function dbHealth(path: string): DbHealth {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return { integrity: db.pragma('integrity_check', { simple: true }), foreignKeys: db.pragma('foreign_key_check') as unknown[] };
  } finally {
    db.close();
  }
}

/** What a user sees: contacts with their states and fields, list memberships, and the sync's source map. */
export interface VisibleState {
  contacts: unknown[];
  members: unknown[];
  sources: unknown[];
}

/** The visible state of a database file (read-only connection) or of an open connection. */
export function visibleState(target: string | Database.Database): VisibleState {
  const db = typeof target === 'string' ? new Database(target, { readonly: true, fileMustExist: true }) : target;
  try {
    return {
      contacts: db.prepare('SELECT email, state, first_name, last_name, fields FROM contacts ORDER BY email').all(),
      members: db
        .prepare(`SELECT l.name AS list, c.email FROM list_members m JOIN contacts c ON c.id = m.contact_id
                  JOIN mailing_lists l ON l.id = m.list_id ORDER BY l.name, c.email`)
        .all(),
      sources: db.prepare('SELECT s.source_id, c.email FROM sync_sources s JOIN contacts c ON c.id = s.contact_id ORDER BY s.source_id').all(),
    };
  } finally {
    if (typeof target === 'string') db.close();
  }
}

/** A readable summary of how two states differ (first few rows each way), for assertion messages. */
export function stateDiff(expected: VisibleState, actual: VisibleState): string {
  const lines: string[] = [];
  for (const key of ['contacts', 'members', 'sources'] as const) {
    const e = new Set(expected[key].map((r) => JSON.stringify(r)));
    const a = new Set(actual[key].map((r) => JSON.stringify(r)));
    const missing = [...e].filter((r) => !a.has(r));
    const extra = [...a].filter((r) => !e.has(r));
    if (missing.length || extra.length) {
      lines.push(`${key}: ${missing.length} missing, ${extra.length} extra; e.g. missing ${missing.slice(0, 3).join(' ')} extra ${extra.slice(0, 3).join(' ')}`);
    }
  }
  return lines.join('\n') || 'same';
}
