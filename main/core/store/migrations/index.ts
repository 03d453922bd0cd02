import { initial } from './0001-initial';
import type { Migration } from './types';

/** Every migration, in order. Append only: a shipped migration never changes. */
export const migrations: readonly Migration[] = [initial];

export const latestSchemaVersion = migrations.length;
