// The operator's key in the desktop app, sealed with Electron safeStorage (the OS keychain: macOS
// Keychain, Windows DPAPI, libsecret/KWallet on Linux). Where no real keychain is available the
// passphrase file of the CLI is used instead, and a sentence says why. The logic takes the cipher
// as a plain object, so it runs without Electron; only safeStorageCipher touches Electron's API.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { UserError } from '../ground/errors';
import type { KeyStore } from '../audit/key-store';
import { keyPairFromSeed, privateSeed, rawPublicKey } from '../audit/keys';

/** What the store needs from a keychain: seal and open a string, and whether that is possible. */
export type StringCipher = {
  encrypt: (plain: string) => Promise<Buffer>;
  /** The plain string, and whether the keychain asks for it to be sealed again (its key rotated). */
  decrypt: (sealed: Buffer) => Promise<{ plain: string; reseal: boolean }>;
  /** Null when sealing works; otherwise why not, as a sentence. */
  available: () => Promise<string | null>;
};

/** A KeyStore plus the sentence to show when it fell back from the keychain (null when it did not). */
export type DesktopKeyStore = KeyStore & { fallbackReason: string | null };

const SealedKeyFile = z.object({
  format: z.literal('dapple-operator-key-safestorage'),
  v: z.literal(1),
  name: z.string(),
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  publicKey: z.string(),
  createdAt: z.string(),
  sealed: z.string(),
});

/**
 * Electron's safeStorage as a StringCipher; Linux's "basic_text" backend (a fixed key) does not count.
 * The asynchronous calls: Electron 45 deprecates the synchronous ones, and opens what they sealed.
 */
export function safeStorageCipher(safeStorage: SafeStorage): StringCipher {
  return {
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    decrypt: async (sealed) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(sealed);
      return { plain: result, reseal: shouldReEncrypt };
    },
    available: async () => {
      if (!(await safeStorage.isAsyncEncryptionAvailable()))
        return 'The OS keychain is not available to Dapple.';
      if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')
        return 'No keyring (GNOME Keyring or KWallet) is running, so the OS keychain would only obscure the key, not protect it.';
      return null;
    },
  };
}

/**
 * The operator key sealed by a keychain in `file`; when the keychain is unavailable, `fallback()`
 * (the passphrase file) is used and fallbackReason says so.
 */
export async function sealedKeyStore(
  file: string,
  cipher: StringCipher,
  fallback: () => KeyStore,
): Promise<DesktopKeyStore> {
  const unavailable = await cipher.available();
  if (unavailable !== null) {
    const store = fallback();
    return {
      ...store,
      fallbackReason: `${unavailable} Your signing key is kept in ${store.describe()}, protected by a passphrase, instead.`,
    };
  }
  const where = `the keychain-sealed key file ${file}`;
  const sealSeed = async (seed: Buffer) =>
    (await cipher.encrypt(seed.toString('base64'))).toString('base64');
  return {
    fallbackReason: null,
    describe: () => where,
    async load() {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      let record: z.infer<typeof SealedKeyFile>;
      try {
        record = SealedKeyFile.parse(JSON.parse(text));
      } catch {
        throw new UserError(
          'KEY_FILE',
          `${where} is not a Dapple key file.`,
          'Restore it from a backup, or move it away to make a new key (and add the new key to keys/trusted.json).',
        );
      }
      let opened: { plain: string; reseal: boolean };
      try {
        opened = await cipher.decrypt(Buffer.from(record.sealed, 'base64'));
      } catch {
        throw new UserError(
          'KEY_KEYCHAIN',
          `The OS keychain could not open ${where}: it was sealed by another user account or machine, or the keychain was reset.`,
          'Unlock the keychain and try again; a key from another machine cannot be opened here: make a new one and add it to keys/trusted.json.',
        );
      }
      const seed = Buffer.from(opened.plain, 'base64');
      const pair = seed.length === 32 ? keyPairFromSeed(seed) : null;
      if (!pair || pair.keyId !== record.keyId) {
        throw new UserError(
          'KEY_FILE',
          `${where} holds a key that does not match its key id.`,
          'The file was edited: restore it from a backup.',
        );
      }
      // The keychain rotated its key: seal the same seed again, replacing the file in one rename.
      if (opened.reseal) await replaceFile(file, { ...record, sealed: await sealSeed(seed) });
      return { ...pair, name: record.name, createdAt: record.createdAt };
    },
    async save(key) {
      const record: z.infer<typeof SealedKeyFile> = {
        format: 'dapple-operator-key-safestorage',
        v: 1,
        name: key.name,
        keyId: key.keyId,
        publicKey: rawPublicKey(key.publicKey).toString('base64'),
        createdAt: key.createdAt,
        sealed: await sealSeed(privateSeed(key.privateKey)),
      };
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // 'wx': never overwrite a key someone already signs with.
      const handle = await fs.open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') {
          throw new UserError(
            'KEY_EXISTS',
            `A key already exists in ${where}.`,
            'Use it, or move it away first if you mean to replace it.',
          );
        }
        throw error;
      });
      try {
        await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

/** Write the record beside the file (0600) and rename it over: the old file stays whole until then. */
async function replaceFile(file: string, record: z.infer<typeof SealedKeyFile>): Promise<void> {
  const temp = `${file}.reseal-${process.pid}`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
}
