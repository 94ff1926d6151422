/**
 * What the core needs from the desktop, as a small interface. electron/platform.ts builds the real
 * one from Electron; tests and the e2e harness pass their own, so the core runs under plain Node.
 */
export type LockSignal = 'screen-lock' | 'suspend';

export interface Keychain {
  /** Whether the OS keychain can protect a key, and if not, why (in words a user can act on). */
  status(): { available: boolean; reason?: string };
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

/** Promise-based, as Electron's (and the W3C's) clipboard is. */
export interface Clipboard {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
  clear(): void;
}

export interface Platform {
  /** Where CredOps keeps its own files by default (Electron's userData). */
  userDataDir: string;
  keychain: Keychain;
  clipboard: Clipboard;
  /** Seconds since the user last touched keyboard or mouse anywhere on the desktop. */
  systemIdleSeconds(): number;
  /** Calls back on screen lock and suspend; returns an unsubscribe function. */
  onLockSignal(listener: (signal: LockSignal) => void): () => void;
  /** Asks the user where to keep a new vault; null when they cancel. */
  chooseVaultLocation(defaultPath: string): Promise<string | null>;
  /** Asks the user for a file to read (open) or write (save); null when they cancel. */
  chooseFile(request: FileRequest): Promise<string | null>;
}

export interface FileRequest {
  mode: 'open' | 'save';
  title: string;
  defaultName?: string;
  filters: { name: string; extensions: string[] }[];
}
