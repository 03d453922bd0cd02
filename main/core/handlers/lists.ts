import { stringify } from 'csv-stringify/sync';
import { ContractError } from '../../common/contract';
import { normalizeEmail } from '../../common/domain/contact';
import type { MailingList } from '../../common/domain/mailingList';
import type { CoreContext } from '../context';
import type { Handlers } from '../dispatch';
import { checkEmail } from '../sync/emailValidity';
import { parseSuppressionCsv } from '../suppression';

type ListHandlers = Pick<Handlers,
  'lists.list' | 'lists.create' | 'lists.members' | 'lists.exportCsv' | 'lists.removeMembers' |
  'contacts.mark' | 'contacts.importSuppression' | 'contacts.fields' | 'contacts.addField'>;

export function requireList(ctx: CoreContext, listId: string): MailingList {
  const list = ctx.store.lists.find(listId);
  if (!list) throw new ContractError({ code: 'not-found', message: `No mailing list ${listId}` });
  return list;
}

export function safeFilename(name: string): string {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'export';
}

/** Cells that a spreadsheet would run as a formula are prefixed with ' (CSV injection). */
export function csvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A list's members as CSV: one column per ListSync field in use, plus state and provenance. */
export function listCsv(ctx: CoreContext, list: MailingList): { filename: string; csv: string; rows: number } {
  const fieldKeys = ctx.store.contacts.fields().map((f) => f.key).filter((k) => !['email', 'first_name', 'last_name'].includes(k));
  const header = [
    'email', 'first_name', 'last_name', ...fieldKeys, 'state', 'added_at', 'added_by_sync',
    'subscription_type', 'topics', 'lawful_basis', 'no_longer_matches_since',
  ];
  const rows: string[][] = [header];
  for (const m of ctx.store.lists.iterateMembers(list.id)) {
    rows.push([
      m.email, m.firstName, m.lastName, ...fieldKeys.map((k) => m.fields[k] ?? ''), m.state, m.addedAt, m.addedBySync ?? '',
      m.subscription?.type ?? '', m.subscription?.topics.join('; ') ?? '', m.subscription?.lawfulBasis ?? '', m.exitedAt ?? '',
    ].map(csvCell));
  }
  return { filename: `${safeFilename(list.name)}.csv`, csv: stringify(rows), rows: rows.length - 1 };
}

export function listHandlers(ctx: CoreContext): ListHandlers {
  return {
    'lists.list': () => ctx.store.lists.list(),
    'lists.create': ({ name }) => {
      if (ctx.store.lists.nameTaken(name)) throw new ContractError({ code: 'conflict', message: `A list named "${name}" already exists` });
      return ctx.store.lists.create(name, ctx.nowIso());
    },
    'lists.members': ({ listId, search, offset, limit }) =>
      ctx.store.lists.members(requireList(ctx, listId).id, { search, offset, limit }),
    'lists.exportCsv': ({ listId }) => listCsv(ctx, requireList(ctx, listId)),
    'lists.removeMembers': ({ listId, contactIds }) => {
      const list = requireList(ctx, listId);
      const removed = ctx.store.lists.removeMembersByUser(list.id, contactIds, ctx.nowIso());
      ctx.logger.log('info', 'list.members-removed', { listId: list.id, removed });
      return { removed };
    },

    'contacts.mark': ({ email, state }) => {
      const check = checkEmail(email);
      if (!check.ok) throw new ContractError({ code: 'invalid-request', message: `${email}: ${check.message}` });
      const normalized = normalizeEmail(email);
      return { email: normalized, ...ctx.store.contacts.mark(normalized, state, ctx.nowIso()) };
    },
    'contacts.importSuppression': ({ csv, as }) => {
      const { addresses, rejected } = parseSuppressionCsv(csv);
      const now = ctx.nowIso();
      let created = 0;
      ctx.store.transaction(() => {
        for (const a of addresses) if (ctx.store.contacts.mark(a, as, now).created) created += 1;
      });
      return { marked: addresses.length, created, rejected };
    },
    'contacts.fields': () => ctx.store.contacts.fields(),
    'contacts.addField': ({ key, label }) => {
      if (ctx.store.contacts.fieldExists(key)) throw new ContractError({ code: 'conflict', message: `A field "${key}" already exists` });
      return ctx.store.contacts.addField(key, label);
    },
  };
}
