import type { SecretStore } from '../ports';

/** The keychain entry's service name; the account is the ListSync account id. */
export const keychainService = 'ListSync';

export class KeychainUnavailableError extends Error {
  constructor(cause: string) {
    super(
      `The OS keychain is not reachable (${cause}). ListSync keeps ZSC keys only in the keychain: ` +
        'on Linux start a Secret Service (GNOME Keyring or KWallet) and unlock it, then try again.',
    );
    this.name = 'KeychainUnavailableError';
  }
}

type Keytar = typeof import('keytar');

/**
 * ZSC keys in the OS keychain through keytar (libsecret, macOS Keychain, Windows Credential Vault).
 * keytar is loaded lazily so that a machine without libsecret still runs everything that needs no key.
 * There is no plaintext fallback, by design.
 */
export class KeychainSecretStore implements SecretStore {
  private keytar: Promise<Keytar> | null = null;

  constructor(private readonly service: string = keychainService) {}

  private load(): Promise<Keytar> {
    this.keytar ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar).catch((error: Error) => {
      this.keytar = null;
      throw new KeychainUnavailableError(`keytar could not load: ${error.message}`);
    });
    return this.keytar;
  }

  private async call<T>(fn: (k: Keytar) => Promise<T>): Promise<T> {
    const keytar = await this.load();
    try {
      return await fn(keytar);
    } catch (error) {
      throw new KeychainUnavailableError((error as Error).message);
    }
  }

  get(accountId: string): Promise<string | null> {
    return this.call((k) => k.getPassword(this.service, accountId));
  }

  set(accountId: string, secret: string): Promise<void> {
    return this.call((k) => k.setPassword(this.service, accountId, secret));
  }

  async delete(accountId: string): Promise<void> {
    await this.call((k) => k.deletePassword(this.service, accountId));
  }

  /** Round-trips a throwaway entry: tells the user at start-up, not at first sync, that the keychain works. */
  async probe(): Promise<void> {
    const probeId = `probe-${process.pid}-${Date.now()}`;
    await this.set(probeId, 'probe');
    const back = await this.get(probeId);
    await this.delete(probeId);
    if (back !== 'probe') throw new KeychainUnavailableError('an entry written could not be read back');
  }
}

/**
 * Any key store's failure reads as "the keychain is not reachable", with what to do about it: the
 * core wraps the store it is given, so a store other than keytar (or keytar raising something new)
 * still gives the user an actionable error instead of "Something went wrong".
 */
export function guardedSecretStore(inner: SecretStore): SecretStore {
  const guard = <T>(op: () => Promise<T>): Promise<T> =>
    Promise.resolve()
      .then(op)
      .catch((error: unknown) => {
        throw error instanceof KeychainUnavailableError ? error : new KeychainUnavailableError(error instanceof Error ? error.message : String(error));
      });
  return {
    get: (accountId) => guard(() => inner.get(accountId)),
    set: (accountId, secret) => guard(() => inner.set(accountId, secret)),
    delete: (accountId) => guard(() => inner.delete(accountId)),
  };
}

/** In-memory key store for tests of code that is not about the keychain. Never used by the app. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  async get(accountId: string) { return this.secrets.get(accountId) ?? null; }
  async set(accountId: string, secret: string) { this.secrets.set(accountId, secret); }
  async delete(accountId: string) { this.secrets.delete(accountId); }
}
