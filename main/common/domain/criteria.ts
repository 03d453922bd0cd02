import { z } from 'zod';

/** Operators of the criteria builder (All contacts / Criteria). */
export const criteriaOperators = [
  'is', 'is_not', 'contains', 'not_contains', 'starts_with', 'ends_with',
  'is_empty', 'is_not_empty', 'before', 'after',
] as const;
export const criteriaOperatorSchema = z.enum(criteriaOperators);
export type CriteriaOperator = z.infer<typeof criteriaOperatorSchema>;

export const operatorLabels: Record<CriteriaOperator, string> = {
  is: 'is', is_not: 'is not', contains: 'contains', not_contains: 'does not contain',
  starts_with: 'starts with', ends_with: 'ends with', is_empty: 'is empty',
  is_not_empty: 'is not empty', before: 'is before', after: 'is after',
};

const unary = new Set<CriteriaOperator>(['is_empty', 'is_not_empty']);
export function operatorTakesValue(op: CriteriaOperator): boolean {
  return !unary.has(op);
}

export const conditionSchema = z
  .object({
    field: z.string().min(1).max(200),
    op: criteriaOperatorSchema,
    value: z.string().max(1000).optional(),
  })
  .strict()
  .refine((c) => !operatorTakesValue(c.op) || (c.value !== undefined && c.value.trim() !== ''), {
    message: 'This operator needs a value',
    path: ['value'],
  })
  .refine((c) => !(c.op === 'before' || c.op === 'after') || !Number.isNaN(Date.parse(c.value ?? '')), {
    message: 'Before/after need a date (YYYY-MM-DD or ISO 8601)',
    path: ['value'],
  });
export type Condition = z.infer<typeof conditionSchema>;

export const criteriaSchema = z
  .object({ match: z.enum(['all', 'any']), conditions: z.array(conditionSchema).min(1).max(20) })
  .strict();
export type Criteria = z.infer<typeof criteriaSchema>;

/** Which contacts a sync imports. Fixed once the sync is saved: a different choice is a new sync. */
export const importOptionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('criteria'), criteria: criteriaSchema }).strict(),
]);
export type ImportOption = z.infer<typeof importOptionSchema>;

/** Reads a field value of a record; returns '' for missing values. */
export type FieldReader = (path: string) => string;

function parseTime(value: string): number {
  // Zoho writes offsets without a colon (2013-10-07T18:24:51+0530); Date.parse needs one.
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** Text comparisons are case-insensitive and trimmed, as a person expects ("india" is India). */
export function conditionMatches(c: Condition, read: FieldReader): boolean {
  const actual = read(c.field).trim();
  const a = actual.toLocaleLowerCase();
  const v = (c.value ?? '').trim().toLocaleLowerCase();
  switch (c.op) {
    case 'is': return a === v;
    case 'is_not': return a !== v;
    case 'contains': return a.includes(v);
    case 'not_contains': return !a.includes(v);
    case 'starts_with': return a.startsWith(v);
    case 'ends_with': return a.endsWith(v);
    case 'is_empty': return a === '';
    case 'is_not_empty': return a !== '';
    case 'before':
    case 'after': {
      const t = parseTime(actual);
      const limit = parseTime(c.value ?? '');
      if (Number.isNaN(t) || Number.isNaN(limit)) return false;
      return c.op === 'before' ? t < limit : t > limit;
    }
  }
}

export function criteriaMatches(criteria: Criteria, read: FieldReader): boolean {
  return criteria.match === 'all'
    ? criteria.conditions.every((c) => conditionMatches(c, read))
    : criteria.conditions.some((c) => conditionMatches(c, read));
}

export function describeCondition(c: Condition, fieldLabel: (path: string) => string = (p) => p): string {
  const head = `${fieldLabel(c.field)} ${operatorLabels[c.op]}`;
  return operatorTakesValue(c.op) ? `${head} ${c.value ?? ''}` : head;
}

export function describeImportOption(option: ImportOption, fieldLabel?: (path: string) => string): string {
  if (option.kind === 'all') return 'All contacts';
  const joiner = option.criteria.match === 'all' ? ' and ' : ' or ';
  return `Criteria: ${option.criteria.conditions.map((c) => describeCondition(c, fieldLabel)).join(joiner)}`;
}

export { parseTime as parseSourceTime };
