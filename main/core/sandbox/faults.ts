import { z } from 'zod';

/**
 * Failures the sandbox can inject, to prove the client and the engine handle them. Counted
 * faults apply to the next N contacts-list requests (GET /contacts) and then clear themselves;
 * `slowMs` alone delays every API request until cleared.
 */
export interface SandboxFaults {
  /** The next `count` list requests get HTTP 429, with `Retry-After: retryAfterSec` (default 1; null = no header). */
  rateLimitBurst?: { count: number; retryAfterSec?: number | null };
  /** The next `count` list requests fail with this status (default 500; 502 and 503 come as an HTML proxy page). */
  serverErrors?: { count: number; status?: 500 | 502 | 503 };
  /** Delay before answering: every API request, or only the next `slowNext` list requests when that is set. */
  slowMs?: number;
  slowNext?: number;
  /** The next N list replies stop halfway through the JSON. */
  truncateNext?: number;
  /** The next N list replies have a wrong shape (see `wrongShape`). */
  wrongShapeNext?: number;
  /** 'email-number' (default): an email sent as a number; 'contacts-object': contacts as an object, not a list; 'no-page-context'. */
  wrongShape?: 'email-number' | 'contacts-object' | 'no-page-context';
  /** The next N list requests for a page after the first get the previous page's contacts again. */
  repeatPreviousPageNext?: number;
  /** has_more_page is always true (pages past the end are empty). */
  endlessPaging?: boolean;
  /** The next N list requests have their connection reset without a reply. */
  resetConnectionNext?: number;
}

const count = z.number().int().min(0);

export const faultsSchema = z
  .object({
    rateLimitBurst: z.object({ count, retryAfterSec: z.number().min(0).nullable().optional() }).optional(),
    serverErrors: z.object({ count, status: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional() }).optional(),
    slowMs: z.number().int().min(0).optional(),
    slowNext: count.optional(),
    truncateNext: count.optional(),
    wrongShapeNext: count.optional(),
    wrongShape: z.enum(['email-number', 'contacts-object', 'no-page-context']).optional(),
    repeatPreviousPageNext: count.optional(),
    endlessPaging: z.boolean().optional(),
    resetConnectionNext: count.optional(),
  })
  .strict();

type CountedFault = 'truncateNext' | 'wrongShapeNext' | 'repeatPreviousPageNext' | 'resetConnectionNext' | 'slowNext';

/** The faults still pending; counted ones are used up one request at a time. */
export class FaultState {
  private faults: SandboxFaults = {};

  set(faults: SandboxFaults): void {
    this.faults = structuredClone(faultsSchema.parse(faults ?? {})) as SandboxFaults;
  }

  current(): SandboxFaults {
    return structuredClone(this.faults);
  }

  /** Uses up one of a counted fault; true when it applies to this request. */
  take(name: CountedFault): boolean {
    const left = this.faults[name] ?? 0;
    if (left <= 0) return false;
    this.faults[name] = left - 1;
    return true;
  }

  takeRateLimit(): { retryAfterSec: number | null } | null {
    const burst = this.faults.rateLimitBurst;
    if (!burst || burst.count <= 0) return null;
    burst.count -= 1;
    return { retryAfterSec: burst.retryAfterSec === undefined ? 1 : burst.retryAfterSec };
  }

  takeServerError(): number | null {
    const errors = this.faults.serverErrors;
    if (!errors || errors.count <= 0) return null;
    errors.count -= 1;
    return errors.status ?? 500;
  }

  /** Delay for a list request (uses up slowNext) or for any other API request. */
  delayFor(isList: boolean): number {
    const ms = this.faults.slowMs ?? 0;
    if (ms <= 0) return 0;
    if (this.faults.slowNext === undefined) return ms;
    return isList && this.take('slowNext') ? ms : 0;
  }

  get endlessPaging(): boolean {
    return this.faults.endlessPaging === true;
  }

  get wrongShape(): NonNullable<SandboxFaults['wrongShape']> {
    return this.faults.wrongShape ?? 'email-number';
  }
}
