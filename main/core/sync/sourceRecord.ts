import type { FieldReader } from '../../common/domain/criteria';
import type { FieldMapping } from '../../common/domain/mapping';
import { standardSourceFields } from '../../common/domain/sourceFields';

/**
 * A Zoho Invoice contact as the engine sees it: the list summary, plus the single-contact
 * detail when a criteria or mapped field needs it. Typed loosely on purpose: the client has
 * validated the shape; unknown fields are simply not read.
 */
export interface SourceContact {
  contact_id: string;
  contact_name?: string | null;
  last_modified_time?: string | null;
  [field: string]: unknown;
}

const detailPaths = new Set(standardSourceFields.filter((f) => f.needsDetail).map((f) => f.path));

/** Whether reading `path` needs the single-contact call (addresses, notes). */
export function pathNeedsDetail(path: string): boolean {
  return detailPaths.has(path) || path.startsWith('billing_address.') || path.startsWith('shipping_address.') ||
    path.startsWith('contact_persons');
}

/** ES2024 string methods (Node ≥ 20), not yet in the ES2023 lib. */
interface WellFormedString { isWellFormed(): boolean; toWellFormed(): string }

/**
 * A JSON reply can carry a lone UTF-16 surrogate ("\ud800"); SQLite would store it as invalid
 * UTF-8 and read it back as three U+FFFD. Replaced by one U+FFFD here, so what is stored is what
 * the next run compares with.
 */
function wellFormed(value: string): string {
  const s = value as unknown as WellFormedString;
  return s.isWellFormed() ? value : s.toWellFormed();
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return wellFormed(value.trim());
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

interface CustomField { customfield_id?: unknown; api_name?: unknown; label?: unknown; value?: unknown }

function customValue(contact: Record<string, unknown> | undefined, key: string): string | undefined {
  const list = contact?.custom_fields;
  if (!Array.isArray(list)) return undefined;
  const hit = (list as CustomField[]).find(
    (f) => text(f.api_name) === key || text(f.label) === key || text(f.customfield_id) === key,
  );
  return hit ? text(hit.value) : undefined;
}

/** Each path's parts, split once (the paths are a sync's mapping and criteria fields: a few). */
const pathParts = new Map<string, readonly string[]>();

function partsOf(path: string): readonly string[] {
  let parts = pathParts.get(path);
  if (parts === undefined) {
    parts = path.split('.');
    pathParts.set(path, parts);
  }
  return parts;
}

function pathValue(contact: Record<string, unknown> | undefined, path: string): string | undefined {
  if (!contact) return undefined;
  let node: unknown = contact;
  for (const part of partsOf(path)) {
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return text(node);
}

/** Reads fields of one contact: the detail where fetched (it is newer and fuller), else the summary. */
export function fieldReader(summary: SourceContact, detail?: Record<string, unknown>): FieldReader {
  return (path: string) => {
    if (path.startsWith('custom:')) {
      const key = path.slice('custom:'.length);
      return customValue(detail, key) ?? customValue(summary, key) ?? '';
    }
    return pathValue(detail, path) ?? pathValue(summary, path) ?? '';
  };
}

/** The mapped values of one record, ListSync field key → value ('' when empty in the source). */
export function mappedValues(mapping: FieldMapping, read: FieldReader): Record<string, string> {
  const values: Record<string, string> = {};
  for (const entry of mapping) values[entry.target] = read(entry.source);
  return values;
}

/** A name to show in history next to the address: the contact's display name in Zoho. */
export function sourceName(summary: SourceContact): string | null {
  const name = text(summary.contact_name);
  return name === '' ? null : name;
}
