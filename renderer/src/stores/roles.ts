// The role-address rules: built-in prefixes (read-only), the user's prefixes and approved exceptions.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RolePolicyView } from '../../../main/common/contract';
import { api } from '../transport';

export const useRolesStore = defineStore('roles', () => {
  const policy = ref<RolePolicyView | null>(null);

  async function refresh(): Promise<RolePolicyView> {
    policy.value = await api.invoke('roles.get', {});
    return policy.value;
  }

  async function apply(call: Promise<RolePolicyView>): Promise<RolePolicyView> {
    policy.value = await call;
    return policy.value;
  }

  const addPrefix = (prefix: string) => apply(api.invoke('roles.addPrefix', { prefix }));
  const removePrefix = (prefix: string) => apply(api.invoke('roles.removePrefix', { prefix }));
  const addException = (email: string) => apply(api.invoke('roles.addException', { email }));
  const removeException = (email: string) => apply(api.invoke('roles.removeException', { email }));

  return { policy, refresh, addPrefix, removePrefix, addException, removeException };
});
