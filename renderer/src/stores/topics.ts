// The managed list of subscription topics (Settings → Topics, and the sync editors).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../transport';

export const useTopicsStore = defineStore('topics', () => {
  const topics = ref<string[]>([]);
  const loaded = ref(false);

  async function refresh(): Promise<string[]> {
    topics.value = await api.invoke('topics.list', {});
    loaded.value = true;
    return topics.value;
  }

  async function create(name: string): Promise<string[]> {
    topics.value = await api.invoke('topics.create', { name });
    return topics.value;
  }

  /** Refused (conflict) while a sync uses the topic. */
  async function remove(name: string): Promise<string[]> {
    topics.value = await api.invoke('topics.delete', { name });
    return topics.value;
  }

  return { topics, loaded, refresh, create, remove };
});
