// App-wide preferences: settings.get, settings.update (the whole object), settings.changed.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppSettings } from '../../../main/common/domain/settings';
import { api } from '../transport';

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<AppSettings | null>(null);
  const saving = ref(false);

  async function refresh(): Promise<AppSettings> {
    settings.value = await api.invoke('settings.get', {});
    return settings.value;
  }

  /** Changes some preferences: the core stores the whole object and replies what it kept. */
  async function update(patch: Partial<AppSettings>): Promise<AppSettings> {
    const current = settings.value ?? (await refresh());
    saving.value = true;
    try {
      settings.value = await api.invoke('settings.update', { ...current, ...patch });
      return settings.value;
    } finally {
      saving.value = false;
    }
  }

  api.on('settings.changed', (next) => {
    settings.value = next;
  });

  return { settings, saving, refresh, update };
});
