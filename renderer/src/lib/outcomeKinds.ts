import { outcomeKinds, type OutcomeKind, type RunCounts } from '../../../main/common/domain/outcome';

/** The seed's six kinds always; Held, Exited and Reverted only when the run has some (or one is selected). */
const always: ReadonlySet<OutcomeKind> = new Set(['new', 'readded', 'duplicate', 'ignored', 'deleted']);

export function shownOutcomeKinds(counts: RunCounts, selected: OutcomeKind | null): OutcomeKind[] {
  return outcomeKinds.filter((k) => always.has(k) || counts[k] > 0 || selected === k);
}
