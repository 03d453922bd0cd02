/** Why a run failed, in a form the UI, CLI and notifier can act on. */
export class RunFailure extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

interface KindedError { kind: string; message: string }

function isKinded(error: unknown): error is KindedError {
  return typeof error === 'object' && error !== null && typeof (error as KindedError).kind === 'string' &&
    typeof (error as KindedError).message === 'string';
}

/** Maps any thrown value to { kind, message }. Client errors carry their own kind (auth, rate-limit …). */
export function toRunFailure(error: unknown, signal?: AbortSignal): { kind: string; message: string } {
  if (signal?.aborted) return { kind: 'cancelled', message: 'The run was cancelled' };
  if (isKinded(error)) return { kind: error.kind, message: error.message };
  if (error instanceof Error) return { kind: 'internal', message: error.message };
  return { kind: 'internal', message: String(error) };
}

/**
 * Zoho's answer when the key can no longer reach an organization (it was deleted, or the user lost
 * access): HTTP 400 with code 2 "Invalid value passed for organization_id", or code 6041 ("This
 * user is not associated with the CompanyID…"). A setup error, not a passing one.
 */
export function isOrganizationGone(error: unknown): boolean {
  const e = error as { kind?: unknown; code?: unknown; message?: unknown };
  if (e?.kind !== 'bad-request' && e?.kind !== 'not-found') return false;
  if (e.code === 6041) return true;
  return e.code === 2 && typeof e.message === 'string' && /organi[sz]ation/i.test(e.message);
}

export function organizationGoneReason(organizationName: string, organizationId: string, detail: string): string {
  return `Zoho Invoice no longer lets this key reach the organization "${organizationName}" (${organizationId}): ${detail}. ` +
    'Check the organization in Zoho Invoice, or create a sync for another organization.';
}

/** Kinds that say nothing about the sync's health: they neither add to the failure streak nor clear it. */
const neutralKinds: ReadonlySet<string> = new Set(['cancelled', 'budget']);

/** Whether a finished run adds to the failure streak (true), clears it (false), or leaves it (null). */
export function streakStep(status: string, trigger: string, kind: string | null): boolean | null {
  if (status === 'succeeded') return false;
  if (status !== 'failed' || (kind !== null && neutralKinds.has(kind))) return null;
  return trigger === 'schedule' || trigger === 'catch-up' ? true : null;
}

export function autoPauseReason(failedRuns: number, lastError: string): string {
  return `Paused after ${failedRuns} failed scheduled runs in a row; last error: ${lastError}`;
}
