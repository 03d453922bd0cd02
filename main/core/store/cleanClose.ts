import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/*
 * When opening may skip the full integrity check (PRAGMA quick_check reads every page: 0.26–0.43 s
 * for 100k contacts, 1.7–1.9 s for 1M in bench/, on the thread that also answers the window, at every start of the
 * app and every CLI command). A clean close leaves a record of the file as it was left; the next
 * open trusts the file only if nothing could have touched it since:
 *   - the record matches the file's size and modification time exactly (a crash after a
 *     checkpoint, another program, a restored copy or a damaged write all change them);
 *   - no write-ahead log with content is left over (a crash before any checkpoint leaves one);
 *   - the last full check is at most a week old (what no metadata shows: a failing disk).
 * Otherwise the file is checked in full, as on every open before.
 */

/** A file checked in full longer ago than this is checked again even after clean closes. */
export const fullCheckEveryMs = 7 * 24 * 3_600_000;

const recordSchema = z.object({
  size: z.number().int().nonnegative(),
  mtimeMs: z.number().nonnegative(),
  /** When the file last passed the full check (ISO). */
  checkedAt: z.iso.datetime(),
});

type CleanCloseRecord = z.infer<typeof recordSchema>;

/** The record beside the database: `<file>.clean-close` (JSON). */
export function cleanClosePath(dbPath: string): string {
  return `${dbPath}.clean-close`;
}

function readRecord(dbPath: string): CleanCloseRecord | null {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(readFileSync(cleanClosePath(dbPath), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // none, unreadable or not JSON: check in full
  }
}

/**
 * When the file last passed the full check, if it may be trusted without one now (see above);
 * null when it must be checked.
 */
export function trustedSince(dbPath: string, now: Date): string | null {
  const record = readRecord(dbPath);
  if (!record) return null;
  if ((statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) return null;
  const file = statSync(dbPath, { throwIfNoEntry: false });
  if (!file || file.size !== record.size || file.mtimeMs !== record.mtimeMs) return null;
  const age = now.getTime() - Date.parse(record.checkedAt);
  return age >= 0 && age <= fullCheckEveryMs ? record.checkedAt : null;
}

/** Called after the connection closed (the log checkpointed into the file): what the next open compares with. */
export function recordCleanClose(dbPath: string, checkedAt: string): void {
  try {
    const file = statSync(dbPath);
    const record: CleanCloseRecord = { size: file.size, mtimeMs: file.mtimeMs, checkedAt };
    writeFileSync(cleanClosePath(dbPath), `${JSON.stringify(record)}\n`);
  } catch {
    // Best effort (a full disk, a folder gone read-only): without a record the next open checks in full.
  }
}
