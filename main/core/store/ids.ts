import { randomBytes } from 'node:crypto';

/** Short, readable ids ("sync_4f9a2c1b7e") that a person can type in the CLI. */
export function newId(prefix: 'acc' | 'list' | 'sync'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}
