// Session-wide hardening: the CSP on every response, every permission refused, and the
// navigation guards on every web contents the app ever creates (not only the main window).
import { app, session, shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../core/ports';
import { navigationDecision, permissionDecision, windowOpenDecision } from './guards';
import { contentSecurityPolicy, type CspOptions } from './windowOptions';

export function hardenSession(options: CspOptions & { target?: Session } = {}): void {
  const target = options.target ?? session.defaultSession;
  const csp = contentSecurityPolicy(options);
  target.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [csp];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
  target.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
  target.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
}

function openOutside(url: string | null, logger?: Logger): void {
  if (!url) return;
  shell.openExternal(url).catch((error: Error) => logger?.log('warn', 'shell.open-external', { message: error.message }));
}

/** Guards a web contents: no navigation away from the app, no new windows, no <webview>. */
export function guardWebContents(contents: WebContents, appUrl: () => string, logger?: Logger): void {
  contents.setWindowOpenHandler((details) => {
    const decision = windowOpenDecision(details.url);
    openOutside(decision.openExternal, logger);
    return { action: decision.action };
  });
  const onNavigate = (event: { preventDefault(): void; url: string }) => {
    const decision = navigationDecision(event.url, appUrl());
    if (decision.allow) return;
    event.preventDefault();
    openOutside(decision.openExternal, logger);
  };
  contents.on('will-navigate', (event) => onNavigate(event));
  contents.on('will-redirect', (event) => onNavigate(event));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies guardWebContents to every web contents created from now on. */
export function guardAllWebContents(appUrl: () => string, logger?: Logger): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appUrl, logger));
}
