// Mailing lists and ListSync contact fields.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Reply, Request } from '../../../main/common/contract';
import type { MailingList } from '../../../main/common/domain/mailingList';
import type { ContactField } from '../../../main/common/domain/mapping';
import { downloadText } from '../lib/download';
import { api } from '../transport';

export const useListsStore = defineStore('lists', () => {
  const lists = ref<MailingList[]>([]);
  const loaded = ref(false);
  const fields = ref<ContactField[]>([]);
  const fieldsLoaded = ref(false);

  const byId = computed(() => new Map(lists.value.map((l) => [l.id, l])));

  async function refresh(): Promise<void> {
    lists.value = await api.invoke('lists.list', {});
    loaded.value = true;
  }

  async function create(name: string): Promise<MailingList> {
    const list = await api.invoke('lists.create', { name });
    lists.value = [...lists.value.filter((l) => l.id !== list.id), list];
    return list;
  }

  function members(request: Request<'lists.members'>): Promise<Reply<'lists.members'>> {
    return api.invoke('lists.members', request);
  }

  async function exportCsv(listId: string): Promise<number> {
    const file = await api.invoke('lists.exportCsv', { listId });
    downloadText(file.filename, file.csv);
    return file.rows;
  }

  /** Takes members out of a list by hand; the re-subscription guard remembers it. */
  async function removeMembers(listId: string, contactIds: number[]): Promise<number> {
    const { removed } = await api.invoke('lists.removeMembers', { listId, contactIds });
    const list = byId.value.get(listId);
    if (list) lists.value = lists.value.map((l) => (l.id === listId ? { ...l, memberCount: Math.max(0, l.memberCount - removed) } : l));
    return removed;
  }

  function mark(request: Request<'contacts.mark'>): Promise<Reply<'contacts.mark'>> {
    return api.invoke('contacts.mark', request);
  }

  function importSuppression(request: Request<'contacts.importSuppression'>): Promise<Reply<'contacts.importSuppression'>> {
    return api.invoke('contacts.importSuppression', request);
  }

  async function refreshFields(): Promise<void> {
    fields.value = await api.invoke('contacts.fields', {});
    fieldsLoaded.value = true;
  }

  async function addField(key: string, label: string): Promise<ContactField> {
    const field = await api.invoke('contacts.addField', { key, label });
    fields.value = [...fields.value.filter((f) => f.key !== field.key), field];
    return field;
  }

  // Runs add members: keep the counts current.
  api.on('run.finished', () => {
    if (loaded.value) void refresh().catch(() => undefined);
  });

  return { lists, loaded, fields, fieldsLoaded, byId, refresh, create, members, exportCsv, removeMembers, mark, importSuppression, refreshFields, addField };
});
