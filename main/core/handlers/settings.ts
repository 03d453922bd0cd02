import type { CoreContext } from '../context';
import { readAppSettings, writeStoredSettings } from '../desktop/settings';
import type { Handlers } from '../dispatch';
import type { SyncScheduler } from '../schedule/scheduler';

type SettingsHandlers = Pick<Handlers, 'settings.get' | 'settings.update'>;

/** What the settings channels need of the scheduler: its pause flag. */
export type PauseControl = Pick<SyncScheduler, 'paused' | 'pauseAll' | 'resumeAll'>;

export function settingsHandlers(ctx: CoreContext, scheduler: PauseControl): SettingsHandlers {
  const current = () => readAppSettings(ctx.store.settings, scheduler.paused);
  return {
    'settings.get': () => current(),
    'settings.update': (next) => {
      ctx.store.transaction(() => writeStoredSettings(ctx.store.settings, next));
      if (next.schedulesPaused !== scheduler.paused) {
        if (next.schedulesPaused) scheduler.pauseAll();
        else scheduler.resumeAll();
        ctx.logger.log('info', next.schedulesPaused ? 'schedule.paused-all' : 'schedule.resumed-all');
      }
      const saved = current();
      ctx.events.emit('settings.changed', saved);
      return saved;
    },
  };
}
