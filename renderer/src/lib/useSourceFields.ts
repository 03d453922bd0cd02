// The Zoho Invoice fields of an account's organization (standard + discovered custom fields),
// loaded when both are chosen. Falls back to the standard fields when the source cannot be read.
import { ref, watch, type Ref } from 'vue';
import { standardSourceFields, type SourceField } from '../../../main/common/domain/sourceFields';
import { useAccountsStore } from '../stores/accounts';
import { errorMessage } from './errors';

export function useSourceFields(accountId: Ref<string>, organizationId: Ref<string>) {
  const accounts = useAccountsStore();
  const fields = ref<SourceField[]>([...standardSourceFields]);
  const changeDateField = ref<string | null>('last_modified_time');
  const loading = ref(false);
  const error = ref<string | null>(null);
  let token = 0;

  watch(
    [accountId, organizationId],
    async ([a, o]) => {
      const mine = ++token;
      error.value = null;
      if (!a || !o) {
        fields.value = [...standardSourceFields];
        changeDateField.value = 'last_modified_time';
        return;
      }
      loading.value = true;
      try {
        const reply = await accounts.sourceFields(a, o);
        if (mine !== token) return;
        fields.value = reply.fields;
        changeDateField.value = reply.changeDateField;
      } catch (e) {
        if (mine !== token) return;
        error.value = errorMessage(e);
        fields.value = [...standardSourceFields];
      } finally {
        if (mine === token) loading.value = false;
      }
    },
    { immediate: true },
  );

  return { fields, changeDateField, loading, error };
}

/** A label for a source path, from the loaded fields ("billing_address.country" → "Billing country"). */
export function sourceLabel(fields: readonly SourceField[], path: string): string {
  const known = fields.find((f) => f.path === path)?.label ?? standardSourceFields.find((f) => f.path === path)?.label;
  if (known) return known;
  return path.startsWith('custom:') ? `${path.slice('custom:'.length)} (custom)` : path;
}
