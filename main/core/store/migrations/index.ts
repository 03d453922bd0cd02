import { initial } from './0001-initial';
import { outcomePages } from './0002-outcome-pages';
import { safetyRails } from './0003-safety-rails';
import { addressIndex } from './0004-address-index';
import type { Migration } from './types';

/** Every migration, in order. Append only: a shipped migration never changes. */
export const migrations: readonly Migration[] = [initial, outcomePages, safetyRails, addressIndex];

export const latestSchemaVersion = migrations.length;
