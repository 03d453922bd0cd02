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
