import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppUrl } from '../../main/electron/guards';
import { appUrlAt, runRoute } from '../../main/common/routes';
import {
  hiddenArg, iconsDir, launchedHidden, linuxAutostartEntry, linuxAutostartPath, loginItemSettings, rearmAfterResume,
} from '../../main/core/desktop/lifecycle';
import { trayIconFile } from '../../main/core/desktop/trayPresenter';
import { ManualTime } from '../../main/core/schedule/manualTime';
import { MemorySecretStore } from '../../main/core/secrets/keychainSecretStore';
import { fixture } from '../support/fixtures';
import { createHarness, type Harness } from '../support/harness';

const root = resolve(import.meta.dirname, '..', '..');

describe('start at login', () => {
  it('Windows starts hidden through an argument; macOS has no arguments; Linux uses an autostart file', () => {
    expect(loginItemSettings(true, 'win32')).toEqual({ openAtLogin: true, args: [hiddenArg] });
    expect(loginItemSettings(false, 'win32')).toEqual({ openAtLogin: false, args: [hiddenArg] });
    expect(loginItemSettings(true, 'darwin')).toEqual({ openAtLogin: true });
    expect(loginItemSettings(true, 'linux')).toBeNull();
    expect(launchedHidden(['/opt/ListSync/listsync', '--hidden'])).toBe(true);
    expect(launchedHidden(['/opt/ListSync/listsync'])).toBe(false);
  });

  it('writes an XDG autostart entry with the executable quoted as the spec asks', () => {
    expect(linuxAutostartPath({}, '/home/asha')).toBe('/home/asha/.config/autostart/listsync.desktop');
    expect(linuxAutostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/asha')).toBe('/cfg/autostart/listsync.desktop');
    expect(linuxAutostartPath({ XDG_CONFIG_HOME: 'relative' }, '/home/asha')).toBe('/home/asha/.config/autostart/listsync.desktop');

    const plain = linuxAutostartEntry('/opt/ListSync/listsync');
    expect(plain.split('\n')).toContain('Exec=/opt/ListSync/listsync --hidden');
    expect(plain.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    const odd = linuxAutostartEntry('/home/asha/Apps/List Sync "beta" $1 100%.AppImage');
    expect(odd.split('\n')).toContain('Exec="/home/asha/Apps/List Sync \\"beta\\" \\$1 100%%.AppImage" --hidden');
  });
});

describe('where the icons are', () => {
  it('resources/ in development, the icons folder beside app.asar when packaged', () => {
    expect(iconsDir({ packaged: false, resourcesPath: '/x', appPath: '/src/listsync' })).toBe(join('/src/listsync', 'resources'));
    expect(iconsDir({ packaged: true, resourcesPath: '/opt/ListSync/resources', appPath: '/opt/ListSync/resources/app.asar' }))
      .toBe(join('/opt/ListSync/resources', 'icons'));
  });

  it('every tray image the app asks for exists, with its @2x', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const dark of [false, true]) {
        const file = trayIconFile(platform, dark);
        expect(existsSync(join(root, 'resources', file)), file).toBe(true);
        expect(existsSync(join(root, 'resources', file.replace('.png', '@2x.png'))), file).toBe(true);
      }
    }
  });
});

describe('opening a run from a notification', () => {
  it('builds a hash route on the app URL that the window guards still accept as the app', () => {
    const file = 'file:///opt/ListSync/resources/app.asar/out/renderer/index.html';
    const url = appUrlAt(file, runRoute(7));
    expect(url).toBe(`${file}#/runs/7`);
    expect(isAppUrl(url, file)).toBe(true);
    expect(appUrlAt(`${file}#/settings`, runRoute(8))).toBe(`${file}#/runs/8`);
    const dev = 'http://localhost:5173/';
    expect(appUrlAt(dev, runRoute(7))).toBe('http://localhost:5173/#/runs/7');
    expect(isAppUrl(appUrlAt(dev, runRoute(7)), dev)).toBe(true);
  });

  it('the renderer’s router opens that route on the run’s page', async () => {
    // Loaded by path at run time: the renderer is type-checked by tsconfig.web.json (DOM), not here.
    const routerPath = '../../renderer/src/lib/router';
    const router = (await import(/* @vite-ignore */ routerPath)) as { parseHash(hash: string): unknown; paths: { run(runId: number): string } };
    expect(router.parseHash(`#${runRoute(42)}`)).toEqual({ name: 'run', runId: 42 });
    expect(router.paths.run(42)).toBe(runRoute(42));
  });
});

describe('after the machine sleeps', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('re-arming runs a slot that passed during sleep once (catch-up) and arms the next slot, with no stale timer left', async () => {
    const time = new ManualTime('2026-01-01T00:00:00Z');
    h = await createHarness({
      time, secrets: new MemorySecretStore(),
      organizations: [{ organization_id: '1', name: 'Zylker', contacts: [fixture('Asha Rao', 'asha@example.in')] }],
    });
    const daily = { kind: 'daily', at: '09:00', timeZone: 'Asia/Kolkata' } as const; // 03:30 UTC
    const syncId = await h.addSync({ accountId: await h.addAccount(), listId: await h.addList(), schedule: daily });
    h.core.startScheduler();
    expect(time.pendingTimes()).toEqual([new Date('2026-01-01T03:30:00Z')]);

    time.jumpTo('2026-01-02T10:00:00Z'); // asleep over two slots: the timer never fired
    rearmAfterResume(h.core.scheduler);
    await h.core.idle();
    const runs = () => h!.core.store.runs.history(syncId, { offset: 0, limit: 10 }).runs.reverse().map((r) => [r.trigger, r.startedAt]);
    expect(runs()).toEqual([['catch-up', '2026-01-02T10:00:00.000Z']]);
    expect(time.pendingTimes()).toEqual([new Date('2026-01-03T03:30:00Z')]);

    // Waking again before the next slot changes nothing.
    rearmAfterResume(h.core.scheduler);
    await h.core.idle();
    expect(runs()).toHaveLength(1);
    expect(time.pendingTimes()).toEqual([new Date('2026-01-03T03:30:00Z')]);
  });
});
