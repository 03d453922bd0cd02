import type { Command } from 'commander';
import { reviewStatuses, type ReviewItem, type ReviewStatus } from '../common/domain/review';
import { table, type CliSession } from './io';

type InSession = (fn: (s: CliSession) => Promise<void>) => Promise<void>;

/** A review entry as the CLI prints it with --json (snake_case, like the other commands). */
export const reviewJson = (r: ReviewItem) => ({
  id: r.id, sync_id: r.syncId, sync: r.syncName, list_id: r.listId, list: r.listName, contact_id: r.contactId,
  email: r.email, zoho_contact_id: r.sourceContactId, zoho_contact_name: r.sourceName, cause: r.cause, left_at: r.leftAt,
  run_id: r.runId, held_at: r.heldAt, status: r.status, decided_at: r.decidedAt, decided_by: r.decidedBy,
});

const causeText = { deleted: 'deleted', 'removed-from-list': 'removed by you' } as const;

/** Entry ids from the command line: positive whole numbers only. */
function parseIds(args: readonly string[]): number[] {
  return args.map((a) => {
    if (!/^\d+$/.test(a) || Number(a) < 1) throw new Error(`"${a}" is not a review entry id (see: listsync review ls)`);
    return Number(a);
  });
}

export function registerReviewCommands(program: Command, inSession: InSession): void {
  const review = program.command('review').description('the review queue: returning contacts that wait for your decision');

  review
    .command('ls')
    .description('review entries, newest first (pending by default)')
    .option('--sync <sync>', 'only this sync (id or name)')
    .option('--status <status>', `${reviewStatuses.join(' | ')} | all`, 'pending')
    .option('--limit <n>', 'how many', '100')
    .option('--offset <n>', 'skip', '0')
    .action((o: { sync?: string; status: string; limit: string; offset: string }) =>
      inSession(async (s) => {
        if (o.status !== 'all' && !(reviewStatuses as readonly string[]).includes(o.status)) {
          throw new Error(`--status is one of ${reviewStatuses.join(', ')}, all`);
        }
        const status = o.status === 'all' ? undefined : (o.status as ReviewStatus);
        const label = status ? `${status} ` : '';
        const syncId = o.sync === undefined ? undefined : (await s.call('syncs.get', { syncId: o.sync })).id;
        const page = await s.call('review.list', {
          syncId, status, offset: Number(o.offset), limit: Number(o.limit),
        });
        s.print({ total: page.total, pending: page.pending, items: page.items.map(reviewJson) }, () =>
          page.items.length === 0 ? `No ${label}entries${page.pending > 0 ? ` (${page.pending} pending)` : ''}.`
            : `${page.total} ${label}entr${page.total === 1 ? 'y' : 'ies'}${status === 'pending' ? '' : ` (${page.pending} pending)`}\n` +
              table(['ID', 'EMAIL', 'SYNC', 'LIST', 'WHY', 'LEFT', 'HELD', 'DECIDED'], page.items.map((r) => [
                String(r.id), r.email, r.syncName, r.listName, causeText[r.cause], r.leftAt ?? '—', r.heldAt,
                r.decidedAt ? `${r.status} ${r.decidedAt} (${r.decidedBy ?? '?'})` : '—',
              ])));
      }),
    );

  for (const decision of ['approve', 'reject'] as const) {
    review
      .command(`${decision} [ids...]`)
      .description(decision === 'approve'
        ? 'let entries join their list (ids, or --all pending)'
        : 'keep entries out of their list for good (ids, or --all pending)')
      .option('--all', 'every pending entry (of --sync only, if given)')
      .option('--sync <sync>', 'with --all: only this sync (id or name)')
      .action((args: string[], o: { all?: boolean; sync?: string }) =>
        inSession(async (s) => {
          if (o.all && args.length > 0) throw new Error('Give entry ids or --all, not both');
          if (!o.all && args.length === 0) throw new Error(`Give the entry ids to ${decision}, or --all`);
          if (o.sync !== undefined && !o.all) throw new Error('--sync goes with --all');
          let r;
          if (o.all) {
            const syncId = o.sync === undefined ? undefined : (await s.call('syncs.get', { syncId: o.sync })).id;
            r = await s.call('review.decide', { decision, allPending: true, ...(syncId ? { syncId } : {}) });
          } else {
            r = await s.call('review.decide', { decision, ids: parseIds(args) });
          }
          s.print({ decision, ...r }, () =>
            `Approved ${r.approved}, rejected ${r.rejected}${r.skipped > 0 ? `, skipped ${r.skipped} (not pending, or the address is bounced or do-not-mail)` : ''}`);
        }),
      );
  }
}
