// The main window's security settings and Content-Security-Policy, as data: tested without
// Electron (test/desktop/electronSecurity.test.ts). Type-only import of electron, so nothing loads it.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The renderer gets no Node, no Electron, no remote content: only the preload's contract bridge. */
export const secureWebPreferences = Object.freeze({
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
  safeDialogs: true,
  spellcheck: true,
} satisfies WebPreferences);

export const windowSize = Object.freeze({ width: 1280, height: 800, minWidth: 960, minHeight: 600 });

/** The BrowserWindow options of the one ListSync window. */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...windowSize,
    title: 'ListSync',
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: { ...secureWebPreferences, preload: preloadPath },
  };
}

export interface CspOptions {
  /**
   * The Vite dev server origin (electron-vite dev, ELECTRON_RENDERER_URL). Only in development:
   * the dev server injects <style> elements and talks HMR over a WebSocket.
   */
  devServer?: string;
}

/**
 * The window's CSP: scripts only from the app itself (never inline, never eval), no remote hosts
 * at all, no plugins, no framing, no forms posting anywhere. Data goes through the preload's IPC,
 * so connect-src stays 'self' (nothing) in production.
 */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServer ? new URL(options.devServer) : null;
  const devWs = dev ? `ws://${dev.host}` : '';
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': dev ? ["'self'", devWs] : ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'worker-src': ["'none'"],
  };
  return Object.entries(directives).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}
