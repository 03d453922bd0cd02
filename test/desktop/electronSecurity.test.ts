// The Electron security checklist, on the pure parts of main/electron (no Electron needed):
// window options, CSP, navigation and new-window guards, external links, permissions, IPC senders.
import { describe, expect, it } from 'vitest';
import {
  externalUrl, isAppUrl, isTrustedSender, navigationDecision, permissionDecision, windowOpenDecision, type FrameLike,
} from '../../main/electron/guards';
import { createInvokeHandler, untrustedSenderError } from '../../main/electron/invokeHandler';
import { contentSecurityPolicy, secureWebPreferences, windowOptions } from '../../main/electron/windowOptions';

const appUrl = 'file:///opt/ListSync/resources/app.asar/out/renderer/index.html';
const devUrl = 'http://localhost:5173/';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name = '', ...values] = d.split(/\s+/);
    return [name, values];
  }));
}

describe('the window', () => {
  it('runs the renderer sandboxed and isolated, with no Node, no webviews, web security on', () => {
    const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences ?? {};
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(Object.isFrozen(secureWebPreferences)).toBe(true);
    expect(windowOptions('/p').show).toBe(false); // shown on ready-to-show, never a blank flash
  });
});

describe('the Content-Security-Policy', () => {
  it('production: nothing by default, scripts only from the app, never inline or eval, no remote host at all', () => {
    const csp = contentSecurityPolicy();
    const d = directives(csp);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    for (const name of ['object-src', 'frame-src', 'frame-ancestors', 'base-uri', 'form-action', 'worker-src']) {
      expect(d.get(name), name).toEqual(["'none'"]);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|\*|https?:|ws:|wss:|blob:/);
  });

  it('development: the dev server may inject styles and talk HMR, but scripts stay self-only', () => {
    const d = directives(contentSecurityPolicy({ devServer: devUrl }));
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(d.get('default-src')).toEqual(["'none'"]);
  });
});

describe('navigation and new windows', () => {
  it('the app page is the app, whatever its hash route; nothing else is', () => {
    expect(isAppUrl(`${appUrl}#/syncs/a/runs/1`, appUrl)).toBe(true);
    expect(isAppUrl('file:///opt/ListSync/resources/app.asar/out/renderer/other.html', appUrl)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', appUrl)).toBe(false);
    expect(isAppUrl('https://evil.example/', appUrl)).toBe(false);
    expect(isAppUrl(`${devUrl}#/x`, devUrl)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', devUrl)).toBe(false);
    expect(isAppUrl('http://user:pw@localhost:5173/', devUrl)).toBe(false);
    expect(isAppUrl(null, appUrl)).toBe(false);
    expect(isAppUrl('not a url', appUrl)).toBe(false);
  });

  it('the window never leaves the app; https links go to the system browser, others nowhere', () => {
    expect(navigationDecision(`${appUrl}#/settings`, appUrl)).toEqual({ allow: true, openExternal: null });
    expect(navigationDecision('https://www.zoho.com/invoice/', appUrl)).toEqual({ allow: false, openExternal: 'https://www.zoho.com/invoice/' });
    for (const target of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<b>x</b>', 'smb://host/share']) {
      expect(navigationDecision(target, appUrl), target).toEqual({ allow: false, openExternal: null });
    }
  });

  it('no new Electron window, ever: window.open is denied (https still opens outside)', () => {
    expect(windowOpenDecision(`${appUrl}#/x`)).toEqual({ action: 'deny', openExternal: null });
    expect(windowOpenDecision('https://example.com/help')).toEqual({ action: 'deny', openExternal: 'https://example.com/help' });
    expect(windowOpenDecision('http://example.com/')).toEqual({ action: 'deny', openExternal: null });
  });

  it('external links: https only, never with credentials', () => {
    expect(externalUrl('https://example.com/a?b=c')).toBe('https://example.com/a?b=c');
    for (const bad of ['http://example.com', 'https://user:pw@example.com/', 'mailto:a@b.c', 'file:///x', 'javascript:void(0)', 'https://', '', null, undefined]) {
      expect(externalUrl(bad), String(bad)).toBeNull();
    }
  });
});

describe('permissions', () => {
  it('every permission a page may ask for is refused', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'midi', 'fullscreen', 'openExternal', 'hid', 'serial', 'usb', 'unknown']) {
      expect(permissionDecision(p), p).toBe(false);
    }
  });
});

describe('IPC senders', () => {
  const frame = (over: Partial<FrameLike> = {}): FrameLike => ({ url: `${appUrl}#/`, processId: 4, routingId: 1, parent: null, ...over });

  it('only the main window’s top frame showing the app may call the contract', () => {
    const main = frame();
    expect(isTrustedSender(main, main, appUrl)).toBe(true);
    expect(isTrustedSender(frame(), main, appUrl)).toBe(true); // the same frame seen through another object
    expect(isTrustedSender(frame({ parent: main }), main, appUrl)).toBe(false); // an iframe
    expect(isTrustedSender(frame({ routingId: 2 }), main, appUrl)).toBe(false); // another frame
    expect(isTrustedSender(frame({ url: 'https://evil.example/' }), main, appUrl)).toBe(false); // navigated away
    expect(isTrustedSender(null, main, appUrl)).toBe(false);
    expect(isTrustedSender(main, null, appUrl)).toBe(false);
  });

  it('the invoke handler answers an untrusted sender with an error and never reaches the core', async () => {
    const calls: unknown[] = [];
    const mainFrame = frame();
    const contents = { mainFrame };
    const win = { isDestroyed: () => false, webContents: contents };
    const handler = createInvokeHandler({
      core: { call: async (channel) => { calls.push(channel); return { ok: true, value: {} }; } },
      getWindow: () => win,
      appUrl,
    });
    expect(await handler({ sender: {}, senderFrame: mainFrame }, 'app.info', {})).toEqual({ ok: false, error: untrustedSenderError });
    expect(await handler({ sender: contents, senderFrame: frame({ parent: mainFrame }) }, 'app.info', {})).toEqual({ ok: false, error: untrustedSenderError });
    expect(calls).toEqual([]);
    expect(await handler({ sender: contents, senderFrame: mainFrame }, 'app.info', {})).toEqual({ ok: true, value: {} });
    expect(calls).toEqual(['app.info']);
  });
});
