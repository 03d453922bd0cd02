import { appSettingsSchema, defaultAppSettings, type AppSettings } from '../../common/domain/settings';
import type { SettingsRepo } from '../store/settings';

// Where the app settings live: one row each in the settings table, except schedulesPaused,
// which is the scheduler's own flag (SyncScheduler.paused) so that there is one truth for it.
// The schema and defaults are in main/common/domain/settings.ts: the contract (and so the
// renderer) needs them, and common code may not import the core.

export const settingKeys = {
  notifications: 'desktop.notifications',
  keepInTray: 'desktop.keepInTray',
  startAtLogin: 'desktop.startAtLogin',
  pauseAfterFailures: 'syncs.pauseAfterFailures',
  /** Internal: whether the "still running in the tray" hint was shown once. */
  trayHintShown: 'desktop.trayHintShown',
} as const;

type Repo = Pick<SettingsRepo, 'get' | 'set'>;
type StoredKey = 'notifications' | 'keepInTray' | 'startAtLogin' | 'pauseAfterFailures';
const storedKeys: readonly StoredKey[] = ['notifications', 'keepInTray', 'startAtLogin', 'pauseAfterFailures'];

/** One stored setting, or its default when absent or not a valid value (an older or edited database). */
function readOne<K extends StoredKey>(repo: Pick<Repo, 'get'>, key: K): AppSettings[K] {
  const parsed = appSettingsSchema.shape[key].safeParse(repo.get<unknown>(settingKeys[key], defaultAppSettings[key]));
  return (parsed.success ? parsed.data : defaultAppSettings[key]) as AppSettings[K];
}

export function readAppSettings(repo: Pick<Repo, 'get'>, schedulesPaused: boolean): AppSettings {
  return {
    notifications: readOne(repo, 'notifications'),
    keepInTray: readOne(repo, 'keepInTray'),
    startAtLogin: readOne(repo, 'startAtLogin'),
    schedulesPaused,
    pauseAfterFailures: readOne(repo, 'pauseAfterFailures'),
  };
}

/** Stores everything but schedulesPaused (the caller pauses or resumes the scheduler). */
export function writeStoredSettings(repo: Repo, settings: AppSettings): void {
  for (const key of storedKeys) repo.set(settingKeys[key], settings[key]);
}

/** True the first time only: whether to show the one-time "ListSync keeps running in the tray" hint. */
export function takeTrayHint(repo: Repo): boolean {
  if (repo.get<boolean>(settingKeys.trayHintShown, false) === true) return false;
  repo.set(settingKeys.trayHintShown, true);
  return true;
}
