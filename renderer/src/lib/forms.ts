// Form state for the editors the wizard and the sync detail share, and its conversion to and
// from the contract's domain types. Form state keeps what a person typed (strings, partly
// filled rows); the builders validate it with the contract's own zod schemas.
import { conditionSchema, criteriaSchema, operatorTakesValue, type Condition, type CriteriaOperator, type ImportOption } from '../../../main/common/domain/criteria';
import { fieldMappingSchema, mappingEntrySchema, type FieldMapping } from '../../../main/common/domain/mapping';
import { scheduleSchema, type Schedule, type Weekday } from '../../../main/common/domain/schedule';
import { retrievalStartSchema, type RetrievalStart, type Sync, type SyncEditable } from '../../../main/common/domain/sync';
import { browserTimeZone } from './timeZones';

let nextUid = 1;
export function uid(): number {
  return nextUid++;
}

export interface ConditionRow { uid: number; field: string; op: CriteriaOperator; value: string }
export interface MappingRow { uid: number; target: string; source: string }
export type ScheduleKind = Schedule['kind'];
export interface ScheduleForm { kind: ScheduleKind; at: string; timeZone: string; weekday: Weekday; dayOfMonth: number }
export interface RetrievalForm { kind: 'all' | 'after'; afterLocal: string }

/** A validation result: the value, or the messages to show. */
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function zodMessages(issues: ReadonlyArray<{ message: string }>): string[] {
  return [...new Set(issues.map((i) => i.message))];
}

export function newConditionRow(field = 'billing_address.country'): ConditionRow {
  return { uid: uid(), field, op: 'is', value: '' };
}

export function rowToCondition(row: ConditionRow): Condition {
  return operatorTakesValue(row.op) ? { field: row.field, op: row.op, value: row.value.trim() } : { field: row.field, op: row.op };
}

/** The message for one criteria row, or null when it is complete. */
export function conditionError(row: ConditionRow): string | null {
  if (!row.field) return 'Choose a field';
  const r = conditionSchema.safeParse(rowToCondition(row));
  return r.success ? null : (r.error.issues[0]?.message ?? 'Incomplete condition');
}

export function buildImportOption(kind: 'all' | 'criteria', match: 'all' | 'any', rows: ConditionRow[]): Checked<ImportOption> {
  if (kind === 'all') return { ok: true, value: { kind: 'all' } };
  if (rows.length === 0) return { ok: false, errors: ['Add at least one condition, or choose All contacts'] };
  const rowErrors = rows.map(conditionError).filter((e): e is string => e !== null);
  if (rowErrors.length > 0) return { ok: false, errors: [...new Set(rowErrors)] };
  const r = criteriaSchema.safeParse({ match, conditions: rows.map(rowToCondition) });
  return r.success ? { ok: true, value: { kind: 'criteria', criteria: r.data } } : { ok: false, errors: zodMessages(r.error.issues) };
}

export function mappingToRows(mapping: FieldMapping): MappingRow[] {
  return mapping.map((m) => ({ uid: uid(), target: m.target, source: m.source }));
}

export function buildMapping(rows: MappingRow[]): Checked<FieldMapping> {
  if (rows.some((r) => !r.target || !r.source)) return { ok: false, errors: ['Choose both fields on every row, or remove the row'] };
  const entries = rows.map((r) => ({ target: r.target, source: r.source }));
  for (const e of entries) {
    const one = mappingEntrySchema.safeParse(e);
    if (!one.success) return { ok: false, errors: zodMessages(one.error.issues) };
  }
  const r = fieldMappingSchema.safeParse(entries);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: zodMessages(r.error.issues) };
}

export function defaultScheduleForm(): ScheduleForm {
  return { kind: 'once', at: '09:00', timeZone: browserTimeZone(), weekday: 'monday', dayOfMonth: 1 };
}

export function scheduleToForm(s: Schedule): ScheduleForm {
  const base = defaultScheduleForm();
  switch (s.kind) {
    case 'once': return base;
    case 'daily': return { ...base, kind: 'daily', at: s.at, timeZone: s.timeZone };
    case 'weekly': return { ...base, kind: 'weekly', at: s.at, timeZone: s.timeZone, weekday: s.weekday };
    case 'monthly': return { ...base, kind: 'monthly', at: s.at, timeZone: s.timeZone, dayOfMonth: s.dayOfMonth };
  }
}

export function buildSchedule(f: ScheduleForm): Checked<Schedule> {
  const candidate =
    f.kind === 'once' ? { kind: 'once' }
      : f.kind === 'daily' ? { kind: 'daily', at: f.at, timeZone: f.timeZone }
        : f.kind === 'weekly' ? { kind: 'weekly', weekday: f.weekday, at: f.at, timeZone: f.timeZone }
          : { kind: 'monthly', dayOfMonth: Number(f.dayOfMonth), at: f.at, timeZone: f.timeZone };
  const r = scheduleSchema.safeParse(candidate);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: zodMessages(r.error.issues) };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An ISO instant as the value of <input type="datetime-local"> in the browser's zone. */
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function retrievalToForm(r: RetrievalStart): RetrievalForm {
  return r.kind === 'all' ? { kind: 'all', afterLocal: '' } : { kind: 'after', afterLocal: isoToLocalInput(r.after) };
}

export function buildRetrievalStart(f: RetrievalForm): Checked<RetrievalStart> {
  if (f.kind === 'all') return { ok: true, value: { kind: 'all' } };
  if (!f.afterLocal) return { ok: false, errors: ['Choose the date and time after which contacts are imported'] };
  const t = new Date(f.afterLocal);
  if (Number.isNaN(t.getTime())) return { ok: false, errors: ['That date is not valid'] };
  const r = retrievalStartSchema.safeParse({ kind: 'after', after: t.toISOString() });
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: zodMessages(r.error.issues) };
}

/** A suggested ListSync field key for a label ("Customer tier" → customer_tier). */
export function fieldKeyFor(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return /^[a-z]/.test(key) ? key : `f_${key}`.slice(0, 64);
}

/** Everything editable of a saved sync, as it is: an editor changes its part and sends the whole. */
export function editableOf(s: Sync): SyncEditable {
  return {
    name: s.name, mapping: s.mapping, updatePolicy: s.updatePolicy, updateEmptyValues: s.updateEmptyValues,
    schedule: s.schedule, retrievalStart: s.retrievalStart,
    subscription: s.subscription, readdPolicy: s.readdPolicy, exitPolicy: s.exitPolicy,
  };
}
