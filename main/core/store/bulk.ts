import type { Database, Statement } from 'better-sqlite3';

/**
 * Chunk sizes a bulk statement is prepared for: n rows take a few statements, e.g. 234 = 2×100 +
 * 20 + 2×5 + 4×1. Larger statements measured no faster (their programs grow with the row count).
 */
const ladder = [100, 20, 5, 1] as const;
/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32. */
const maxVariables = 32_766;

/**
 * A multi-row statement, `head VALUES (?, …), (?, …) … tail`, for writing many rows with one
 * statement instead of one per row (a statement step costs several times the row it writes).
 * Prepared once per chunk size on first use, then reused. Values come flat, `columns` per row.
 */
export class BulkStatement {
  private readonly prepared = new Map<number, Statement>();
  private readonly sizes: number[];

  constructor(
    private readonly db: Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly tail = '',
    /** The row's SQL; default "(?, ?, …)" with `columns` parameters. */
    private readonly row = `(${Array.from({ length: columns }, () => '?').join(', ')})`,
  ) {
    const most = Math.floor(maxVariables / columns);
    this.sizes = ladder.filter((n) => n <= most);
  }

  private statement(rows: number): Statement {
    let stmt = this.prepared.get(rows);
    if (!stmt) {
      stmt = this.db.prepare(`${this.head} VALUES ${Array.from({ length: rows }, () => this.row).join(', ')} ${this.tail}`);
      this.prepared.set(rows, stmt);
    }
    return stmt;
  }

  /** Calls `each` with each chunk's statement and values, in order. */
  private chunks(values: readonly unknown[], each: (stmt: Statement, chunk: unknown[]) => void): void {
    if (values.length % this.columns !== 0) throw new Error(`BulkStatement: ${values.length} values is not a whole number of ${this.columns}-column rows`);
    let at = 0;
    let left = values.length / this.columns;
    for (const size of this.sizes) {
      while (left >= size) {
        const end = at + size * this.columns;
        each(this.statement(size), values.slice(at, end));
        at = end;
        left -= size;
      }
    }
  }

  /** Writes the rows; returns the number of rows changed. */
  run(values: readonly unknown[]): number {
    let changes = 0;
    this.chunks(values, (stmt, chunk) => {
      changes += stmt.run(chunk).changes;
    });
    return changes;
  }

  /** Writes the rows and collects what the statement's RETURNING clause gives back. */
  all<T>(values: readonly unknown[]): T[] {
    const out: T[] = [];
    this.chunks(values, (stmt, chunk) => {
      for (const r of stmt.all(chunk) as T[]) out.push(r);
    });
    return out;
  }
}
