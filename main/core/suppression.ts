import { parse } from 'csv-parse/sync';
import { normalizeEmail } from '../common/domain/contact';
import { checkEmail } from './sync/emailValidity';

export interface SuppressionParse {
  addresses: string[];
  rejected: Array<{ line: number; value: string; reason: string }>;
}

/**
 * Reads a suppression file (bounces or do-not-mail exports): a CSV whose "email" column, or whose
 * first column when none is named so, holds addresses. Invalid lines are reported, not dropped silently.
 */
export function parseSuppressionCsv(text: string): SuppressionParse {
  const rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as string[][];
  if (rows.length === 0) return { addresses: [], rejected: [] };
  const header = rows[0]!.map((h) => h.toLowerCase());
  const named = header.findIndex((h) => h === 'email' || h === 'email address' || h === 'e-mail');
  const column = named >= 0 ? named : 0;
  const start = named >= 0 || !(rows[0]![0] ?? '').includes('@') ? 1 : 0;
  const addresses = new Set<string>();
  const rejected: SuppressionParse['rejected'] = [];
  rows.slice(start).forEach((row, i) => {
    const value = row[column] ?? '';
    const check = checkEmail(value);
    if (!check.ok) rejected.push({ line: i + start + 1, value: value.slice(0, 200), reason: value.trim() === '' ? 'Empty' : check.message });
    else addresses.add(normalizeEmail(value));
  });
  return { addresses: [...addresses], rejected };
}
