import { dataCenterLabels, type Account } from '../../../main/common/domain/account';
import type { UpdatePolicy } from '../../../main/common/domain/mapping';
import type { RunStatus, RunTrigger } from '../../../main/common/domain/run';
import type { ReviewCause } from '../../../main/common/domain/review';
import { lawfulBasisLabels, type ReaddPolicy, type RetrievalStart, type Subscription, type SubscriptionType } from '../../../main/common/domain/sync';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const number = new Intl.NumberFormat();
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateTime.format(t);
}

export function formatNumber(n: number): string {
  return number.format(n);
}

/** "in 3 hours", "5 minutes ago". */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(seconds, 'second');
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

export function formatDuration(startIso: string, endIso: string | null): string {
  if (!endIso) return '—';
  const ms = Date.parse(endIso) - Date.parse(startIso);
  if (Number.isNaN(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export const runStatusLabels: Record<RunStatus, string> = {
  running: 'Running', succeeded: 'Succeeded', failed: 'Failed', interrupted: 'Interrupted', skipped: 'Skipped',
};

export function runStatusLabel(status: string): string {
  return (runStatusLabels as Record<string, string>)[status] ?? status;
}

export const triggerLabels: Record<RunTrigger, string> = {
  manual: 'Run now', tray: 'Tray menu', schedule: 'Schedule', 'catch-up': 'Catch-up',
};

export const updatePolicyLabels: Record<UpdatePolicy, { label: string; hint: string }> = {
  overwrite: { label: 'Update existing contacts', hint: 'Values from Zoho Invoice replace the ones here.' },
  'fill-empty': { label: 'Only fill empty fields', hint: 'Existing values are kept; empty fields are filled.' },
  never: { label: 'Do not update existing contacts', hint: 'Existing contacts keep their fields; they still join the list.' },
};

export function describeRetrievalStart(r: RetrievalStart): string {
  return r.kind === 'all' ? 'All data' : `After ${formatDateTime(r.after)}`;
}

export function describeEndpoint(a: Pick<Account, 'dataCenter' | 'baseUrl' | 'isDemo'>): string {
  if (a.isDemo) return 'Built-in demo organization (local sandbox)';
  if (a.dataCenter) return dataCenterLabels[a.dataCenter];
  return a.baseUrl ?? '—';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

export const subscriptionTypeLabels: Record<SubscriptionType, { label: string; hint: string }> = {
  marketing: { label: 'Marketing', hint: 'Newsletters and promotions; needs a lawful basis where GDPR applies.' },
  'non-marketing': { label: 'Non-marketing', hint: 'Transactional and service messages only.' },
};

export const readdPolicyLabels: Record<ReaddPolicy, { label: string; hint: string }> = {
  join: { label: 'Join the list at once', hint: 'Counted Re-added, as Zoho Campaigns does.' },
  review: { label: 'Wait in the review queue', hint: 'Counted Held; you approve or reject each one.' },
};

export const reviewCauseLabels: Record<ReviewCause, string> = {
  deleted: 'Was deleted',
  'removed-from-list': 'Removed from the list by you',
};

/** "Marketing · Topics: Offers, News · Consent" */
export function describeSubscription(s: Subscription): string {
  return [
    subscriptionTypeLabels[s.type].label,
    s.topics.length > 0 ? `Topics: ${s.topics.join(', ')}` : 'No topics',
    s.lawfulBasis ? `Lawful basis: ${lawfulBasisLabels[s.lawfulBasis]}` : 'No lawful basis',
  ].join(' · ');
}
