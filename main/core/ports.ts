// What the UI-free core needs from its host (Electron main, CLI, browser host, tests).
// Injected, never reached through globals, so tests can control time and secrets.

/** Wall-clock time. Tests use a controlled clock; the app uses the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** One-shot timer, so schedule logic can be driven by a controlled clock in tests. */
export interface Timer {
  /** Calls fn at (or as soon as possible after) `at`. Returns a cancel function. */
  at(at: Date, fn: () => void): () => void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured log sink. Never pass secrets in `fields`. */
export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { log: () => undefined };

/** Key store for ZSC keys, by account id. Backed by the OS keychain in the app. */
export interface SecretStore {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, secret: string): Promise<void>;
  delete(accountId: string): Promise<void>;
}
