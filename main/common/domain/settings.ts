import { z } from 'zod';

// The user's app-wide preferences (Settings page, tray). Stored by the core; the desktop shell
// applies the ones that belong to the operating system (notifications, tray, login item).

export const notificationModes = ['all', 'failures', 'off'] as const;
export const notificationModeSchema = z.enum(notificationModes);
export type NotificationMode = z.infer<typeof notificationModeSchema>;

export const appSettingsSchema = z
  .object({
    /** Native notifications when a run ends: every run, failed runs only, or none. */
    notifications: notificationModeSchema,
    /** Closing the window keeps ListSync running in the tray (scheduled syncs keep running). */
    keepInTray: z.boolean(),
    /** Start ListSync (in the tray, without a window) when the user logs in. */
    startAtLogin: z.boolean(),
    /** Every schedule is held: no scheduled or catch-up runs until resumed. Run now still works. */
    schedulesPaused: z.boolean(),
    /** A sync pauses itself after this many consecutive failed scheduled runs (and says so once). */
    pauseAfterFailures: z.number().int().min(1).max(100),
  })
  .strict();
export type AppSettings = z.infer<typeof appSettingsSchema>;

export const defaultAppSettings: Readonly<AppSettings> = Object.freeze({
  notifications: 'all',
  keepInTray: true,
  startAtLogin: false,
  schedulesPaused: false,
  pauseAfterFailures: 5,
});
