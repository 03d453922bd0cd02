import { criteriaOperators, operatorLabels, operatorTakesValue, type Condition, type CriteriaOperator } from '../common/domain/criteria';
import type { SourceField } from '../common/domain/sourceFields';

/** Operator phrases a person types, longest first so "is not empty" wins over "is not" and "is". */
const extra: Array<[string, CriteriaOperator]> = [
  ['does not contain', 'not_contains'], ['before', 'before'], ['after', 'after'], ['=', 'is'], ['!=', 'is_not'],
];
const phrases: Array<[string, CriteriaOperator]> = [
  ...criteriaOperators.map((op): [string, CriteriaOperator] => [operatorLabels[op], op]),
  ...criteriaOperators.map((op): [string, CriteriaOperator] => [op, op]),
  ...extra,
].sort((a, b) => b[0].length - a[0].length);

/**
 * Parses `--where 'FIELD OP VALUE'`, e.g. "Billing country is India" or "custom:cf_tier = Gold".
 * FIELD is a source field's path or label (case-insensitive).
 */
export function parseWhere(text: string, fields: readonly SourceField[]): Condition {
  const lower = ` ${text.trim().toLowerCase()} `;
  for (const [phrase, op] of phrases) {
    const at = lower.indexOf(` ${phrase} `) >= 0 ? lower.indexOf(` ${phrase} `) : operatorTakesValue(op) ? -1 : lower.lastIndexOf(` ${phrase}`);
    if (at < 0) continue;
    const fieldText = text.trim().slice(0, Math.max(0, at - 1)).trim();
    const value = text.trim().slice(at + phrase.length + 1).trim();
    if (fieldText === '') continue;
    if (!operatorTakesValue(op) && value !== '') continue;
    const field = fields.find((f) => f.path.toLowerCase() === fieldText.toLowerCase() || f.label.toLowerCase() === fieldText.toLowerCase());
    const path = field?.path ?? (fieldText.startsWith('custom:') ? fieldText : null);
    if (!path) throw new Error(`Unknown field "${fieldText}" in --where. Fields: ${fields.map((f) => f.path).join(', ')}`);
    return operatorTakesValue(op) ? { field: path, op, value } : { field: path, op };
  }
  throw new Error(`Cannot read --where '${text}': write FIELD OP VALUE, e.g. 'Billing country is India'`);
}
