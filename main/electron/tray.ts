// The tray icon and its menu: Electron glue over TrayPresenter (main/core/desktop/trayPresenter.ts),
// which holds the state, follows the core's events and throttles progress redraws.
import { Menu, nativeImage, nativeTheme, Tray, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { invokerOf } from '../core/desktop/invoke';
import type { TrayAction, TrayItem } from '../core/desktop/trayMenu';
import { menuLabel, runTrayAction, trayIconFile, TrayPresenter, type TrayView } from '../core/desktop/trayPresenter';
import { systemClock, type Timer } from '../core/ports';
import type { AppContext } from './app';

/** setTimeout as the core's Timer port (the progress throttle waits under a second). */
const timeoutTimer: Timer = {
  at(at, fn) {
    const handle = setTimeout(fn, Math.max(0, at.getTime() - Date.now()));
    return () => clearTimeout(handle);
  },
};

function menuItem(item: TrayItem, act: (action: TrayAction) => void, platform: NodeJS.Platform): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'separator': return { type: 'separator' };
    case 'label': return { label: menuLabel(item.label, platform), enabled: false };
    case 'action': return { label: menuLabel(item.label, platform), enabled: item.enabled, click: () => act(item.id) };
  }
}

export interface TrayOptions {
  iconsDir: string;
  /** Tells the user why a tray action did nothing (e.g. the sync is already running). */
  report(title: string, body: string): void;
}

/** Creates the tray; returns its removal. */
export function createTray(ctx: AppContext, options: TrayOptions): () => void {
  const platform = process.platform;
  const image = () => {
    const file = join(options.iconsDir, trayIconFile(platform, nativeTheme.shouldUseDarkColors));
    const img = nativeImage.createFromPath(file);
    if (img.isEmpty()) ctx.logger.log('warn', 'tray.icon-missing', { file });
    if (platform === 'darwin') img.setTemplateImage(true);
    return img;
  };
  const tray = new Tray(image());
  const onThemeChange = () => tray.setImage(image());
  nativeTheme.on('updated', onThemeChange);

  const invoke = invokerOf(ctx.core);
  const act = (action: TrayAction) => {
    runTrayAction(action, { invoke, showWindow: () => void ctx.showWindow(), quit: ctx.quit }).catch((error: Error) => {
      ctx.logger.log('info', 'tray.action-refused', { action, message: error.message });
      options.report('ListSync', error.message);
    });
  };
  const render = (view: TrayView) => {
    if (tray.isDestroyed()) return;
    tray.setContextMenu(Menu.buildFromTemplate(view.menu.map((item) => menuItem(item, act, platform))));
    tray.setToolTip(view.tooltip);
  };
  const presenter = new TrayPresenter({
    events: ctx.core.events, invoke, clock: systemClock, timer: timeoutTimer, render,
    onError: (error) => ctx.logger.log('warn', 'tray.refresh-failed', { message: (error as Error).message }),
  });
  void presenter.start();
  // Windows: a left click opens the window (the menu is on the right click). Elsewhere a click opens the menu.
  if (platform === 'win32') tray.on('click', () => void ctx.showWindow());

  return () => {
    presenter.dispose();
    nativeTheme.off('updated', onThemeChange);
    if (!tray.isDestroyed()) tray.destroy();
  };
}
