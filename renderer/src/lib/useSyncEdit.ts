// The save of a sync's edit dialogs: each changes one part of the sync and sends the whole
// editable rest as it is (an edit never falls back to a default), with one busy flag and one
// error list.
import { ref } from 'vue';
import type { Sync, SyncEditable } from '../../../main/common/domain/sync';
import { useSyncsStore } from '../stores/syncs';
import { useUiStore } from '../stores/ui';
import { errorMessage } from './errors';
import { editableOf } from './forms';

export function useSyncEdit(sync: () => Sync, close: () => void) {
  const syncs = useSyncsStore();
  const ui = useUiStore();
  const errors = ref<string[]>([]);
  const busy = ref(false);

  /** Saves `change` over the sync's current settings; says `saved` and closes, or shows the error. */
  async function saveEdit(change: Partial<SyncEditable>, saved: string): Promise<void> {
    busy.value = true;
    try {
      await syncs.update(sync().id, { ...editableOf(sync()), ...change });
      ui.notify(saved, 'success');
      close();
    } catch (error) {
      errors.value = [errorMessage(error)];
    } finally {
      busy.value = false;
    }
  }

  return { errors, busy, saveEdit };
}
