// App-wide UI state: toasts, the confirm dialog and the connection to the core.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorMessage } from '../lib/errors';
import { onConnectionState, transportKind, type ConnectionState } from '../transport';

export type ToastKind = 'info' | 'success' | 'error';
export interface Toast { id: number; kind: ToastKind; text: string }

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
  resolve: (ok: boolean) => void;
}

export const useUiStore = defineStore('ui', () => {
  const toasts = ref<Toast[]>([]);
  const connection = ref<ConnectionState>('idle');
  const confirmRequest = ref<ConfirmRequest | null>(null);
  let nextId = 1;

  onConnectionState((state) => {
    connection.value = state;
  });

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  function notify(text: string, kind: ToastKind = 'info'): void {
    const id = nextId++;
    toasts.value = [...toasts.value.slice(-4), { id, kind, text }];
    setTimeout(() => dismiss(id), kind === 'error' ? 10_000 : 5_000);
  }

  function reportError(error: unknown, prefix?: string): string {
    const message = errorMessage(error);
    notify(prefix ? `${prefix}: ${message}` : message, 'error');
    return message;
  }

  /** Runs an action; a rejection becomes an error toast (and undefined), never an unhandled one. */
  async function attempt<T>(action: () => Promise<T>, prefix?: string): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      reportError(error, prefix);
      return undefined;
    }
  }

  function confirm(options: { title: string; message: string; confirmLabel?: string; danger?: boolean }): Promise<boolean> {
    confirmRequest.value?.resolve(false);
    return new Promise<boolean>((resolve) => {
      confirmRequest.value = {
        title: options.title,
        message: options.message,
        confirmLabel: options.confirmLabel ?? 'OK',
        danger: options.danger ?? false,
        resolve: (ok) => {
          confirmRequest.value = null;
          resolve(ok);
        },
      };
    });
  }

  return { toasts, connection, confirmRequest, transportKind, notify, dismiss, reportError, attempt, confirm };
});
