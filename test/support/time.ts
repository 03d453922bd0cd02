import type { Run } from '../../main/common/domain/run';
import type { ManualTime } from '../../main/core/schedule/manualTime';
import type { Harness } from './harness';

/** Fires every timer due up to `to`, one at a time, letting each started run finish. */
export async function advance(harness: Harness, time: ManualTime, to: string): Promise<void> {
  for (;;) {
    const next = time.pendingTimes()[0];
    if (!next || next.getTime() > Date.parse(to)) break;
    time.advanceTo(next);
    await harness.core.idle();
  }
  time.advanceTo(to);
  await harness.core.idle();
}

/** A sync's runs, oldest first. */
export const runsOf = (harness: Harness, syncId: string): Run[] =>
  harness.core.store.runs.history(syncId, { offset: 0, limit: 100 }).runs.reverse();
