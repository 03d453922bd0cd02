// The renderer's hash routes that something outside the renderer opens (a notification click in
// Electron main loads `appUrlAt(appUrl, runRoute(runId))`). They must match the renderer's router
// (renderer/src/lib/router.ts, `paths`); test/desktop/lifecycle.test.ts checks that they do.
// Hash routes because the packaged window is a file:// page.

/** One run's page (its counts and outcomes, with a link back to its sync's history). */
export function runRoute(runId: number): string {
  return `/runs/${runId}`;
}

/** The app's URL (file://…/index.html or the dev server) showing `route`; any previous route is dropped. */
export function appUrlAt(appUrl: string, route: string): string {
  const url = new URL(appUrl);
  url.hash = route.startsWith('/') ? route : `/${route}`;
  return url.href;
}
