// Pure decisions behind the window's guards: which frame may call the contract, where the window
// may navigate, which links leave for the system browser. No Electron import: tested in Node.

/** The parts of Electron's WebFrameMain the sender check needs. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
  readonly parent: unknown;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `candidate` is a page of the app loaded from `appUrl`: for file:// the same index.html
 * (any hash or query: in-app routes), for the dev server the same origin.
 */
export function isAppUrl(candidate: string | null | undefined, appUrl: string): boolean {
  if (!candidate) return false;
  const c = parse(candidate);
  const a = parse(appUrl);
  if (!c || !a) return false;
  if (a.protocol === 'file:') {
    return c.protocol === 'file:' && c.host === a.host && c.pathname === a.pathname && c.username === '' && c.password === '';
  }
  if (a.protocol === 'http:' || a.protocol === 'https:') {
    return c.origin === a.origin && c.username === '' && c.password === '';
  }
  return false;
}

/**
 * An IPC call is handled only when it comes from the main window's top frame (not an iframe,
 * not another window) and that frame shows the app (not a page it was navigated to).
 */
export function isTrustedSender(
  senderFrame: FrameLike | null | undefined,
  mainFrame: FrameLike | null | undefined,
  appUrl: string,
): boolean {
  if (!senderFrame || !mainFrame) return false;
  if (senderFrame.parent !== null && senderFrame.parent !== undefined) return false;
  if (senderFrame !== mainFrame && (senderFrame.processId !== mainFrame.processId || senderFrame.routingId !== mainFrame.routingId)) {
    return false;
  }
  return isAppUrl(senderFrame.url, appUrl);
}

/** Links the app may hand to the system browser: https only, no credentials in the URL. */
export function externalUrl(url: string | null | undefined): string | null {
  const u = url ? parse(url) : null;
  if (!u || u.protocol !== 'https:' || !u.hostname || u.username !== '' || u.password !== '') return null;
  return u.href;
}

export interface NavigationDecision {
  /** Whether the window itself may go there (only the app's own page: reloads, dev HMR). */
  allow: boolean;
  /** A https link to open in the system browser instead, or null. */
  openExternal: string | null;
}

/** `will-navigate` / `will-redirect`: stay on the app; https links go to the system browser. */
export function navigationDecision(target: string, appUrl: string): NavigationDecision {
  if (isAppUrl(target, appUrl)) return { allow: true, openExternal: null };
  return { allow: false, openExternal: externalUrl(target) };
}

/** `setWindowOpenHandler`: never a new Electron window; https links go to the system browser. */
export function windowOpenDecision(target: string): { action: 'deny'; openExternal: string | null } {
  return { action: 'deny', openExternal: externalUrl(target) };
}

/** Every permission request (camera, notifications from web APIs, geolocation, ...) is refused. */
export function permissionDecision(_permission: string): false {
  return false;
}
