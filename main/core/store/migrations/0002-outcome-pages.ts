import type { Migration } from './types';

/**
 * A run's outcomes in id order straight from an index: the history page of a run with a million
 * outcomes opens as fast as one with a thousand. (The (run_id, outcome, reason, id) index serves
 * the filtered tabs; without this one, the unfiltered page sorted every outcome of the run.)
 */
export const outcomePages: Migration = {
  version: 2,
  name: 'outcome-pages',
  up: (db) => {
    db.exec('CREATE INDEX run_outcomes_run_id ON run_outcomes(run_id)');
  },
};
