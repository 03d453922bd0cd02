import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, LogLevel } from './ports';

const maxBytes = 5 * 1024 * 1024;
const keep = 3;

/** Field names that could carry a secret are dropped, whatever the caller passes. */
const secretish = /key|token|secret|password|authorization/i;

function rotate(path: string): void {
  try {
    if (statSync(path).size < maxBytes) return;
  } catch {
    return;
  }
  for (let i = keep - 1; i >= 1; i--) {
    try { renameSync(`${path}.${i}`, `${path}.${i + 1}`); } catch { /* missing generation */ }
  }
  renameSync(path, `${path}.1`);
}

/**
 * A rotating JSON-lines log in the data folder (logs/listsync.log, 5 MB × 3): run-level events and
 * request errors. Never secrets: suspicious field names are removed before writing.
 */
export function createFileLogger(dataDir: string, minLevel: LogLevel = 'info'): Logger {
  const dir = join(dataDir, 'logs');
  const path = join(dir, 'listsync.log');
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  mkdirSync(dir, { recursive: true });
  return {
    log(level, event, fields) {
      if (order.indexOf(level) < order.indexOf(minLevel)) return;
      const clean: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields ?? {})) if (!secretish.test(k)) clean[k] = v;
      try {
        rotate(path);
        appendFileSync(path, `${JSON.stringify({ time: new Date().toISOString(), level, event, ...clean })}\n`);
      } catch {
        // Logging must never break a sync.
      }
    },
  };
}

export function logFilePath(dataDir: string): string {
  return join(dataDir, 'logs', 'listsync.log');
}
