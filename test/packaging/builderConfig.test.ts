// electron-builder.yml as electron-builder itself reads it: its own loader (the YAML) and its own
// schema check, both from the installed electron-builder (app-builder-lib), so a key it would
// reject fails here, without packaging anything (that needs Electron and a network).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { appUserModelId } from '../../main/core/desktop/lifecycle';

const root = resolve(import.meta.dirname, '..', '..');
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(root, 'electron-builder.yml', null);
});

/** A target list as electron-builder accepts it (names or { target } objects), as names. */
function targets(platform: { target?: unknown } | null | undefined): string[] {
  const list = Array.isArray(platform?.target) ? platform.target : [platform?.target];
  return list.map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), path).toBe(true);
  expect(b.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app, and Windows notifications use the same id', () => {
    expect(config.appId).toBe('com.listsync.app');
    expect(config.appId).toBe(appUserModelId);
    expect(config.productName).toBe('ListSync');
    expect(config.directories?.buildResources).toBe('resources');
  });

  it('packages the electron-vite output and package.json only (production node_modules are added by electron-builder)', () => {
    const filters = (config.files as Array<string | { filter?: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : f.filter ?? []));
    expect(filters).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    expect(filters.filter((f) => !f.startsWith('!'))).toEqual(['out/**', 'package.json']);
  });

  it('rebuilds the native modules for Electron and keeps them out of the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).not.toBe(false);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', '**/node_modules/{better-sqlite3,keytar}/**']));
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, a dmg on macOS', () => {
    expect(targets(config.linux)).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toMatch(/^(Office|Network)$/);
    expect(config.linux?.maintainer).toMatch(/<[^>]+@[^>]+>/);
    expect(targets(config.win)).toEqual(['nsis']);
    expect(targets(config.mac)).toEqual(['dmg']);
  });

  it('uses icons that exist: the 512 px app icon for every platform, the tray images at run time', () => {
    for (const platform of [config.linux, config.win, config.mac]) {
      const icon = platform?.icon;
      expect(icon).toBe('resources/icon.png');
      expect(pngSize(join(root, icon!))).toEqual({ width: 512, height: 512 });
    }
    expect(existsSync(join(root, 'resources', 'icon.svg'))).toBe(true);
    const extra = config.extraResources as Array<{ from: string; to: string; filter: string[] }>;
    expect(extra).toEqual([{ from: 'resources', to: 'icons', filter: ['icon.png', 'tray*.png'] }]);
    for (const name of ['trayTemplate', 'tray-light', 'tray-dark']) {
      expect(pngSize(join(root, 'resources', `${name}.png`))).toEqual({ width: 16, height: 16 });
      expect(pngSize(join(root, 'resources', `${name}@2x.png`))).toEqual({ width: 32, height: 32 });
    }
  });

  it('is what `npm run dist` packages with', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; build?: unknown };
    expect(pkg.scripts.dist).toBe('node scripts/dist.js');
    expect(pkg.build).toBeUndefined(); // one configuration, not two to merge
    const dist = readFileSync(join(root, 'scripts', 'dist.js'), 'utf8');
    expect(dist).toContain("'--config', 'electron-builder.yml'");
    expect(dist).toContain('electron-builder');
  });
});
