// Where an operator's private key lives. The CLI and browser mode use a passphrase-protected
// file (scrypt + AES-256-GCM, mode 0600); main/app/ plugs in Electron safeStorage behind KeyStore.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../ground/errors';
import {
  generateKeyPair,
  keyIdOf,
  keyPairFromSeed,
  privateSeed,
  publicKeyFromRaw,
  rawPublicKey,
  type KeyPair,
} from './keys';

/** An operator's key with the name it signs as. */
export type OperatorKey = KeyPair & { name: string; createdAt: string };

/** Keeps one operator key. Implementations: a passphrase file here, safeStorage in main/app/. */
export type KeyStore = {
  /** Where the key is kept, for messages ("the key file /home/a/.dapple/operator.key"). */
  describe: () => string;
  /** The stored key, or null when there is none yet. */
  load: () => Promise<OperatorKey | null>;
  /** Store a key, replacing none: refuses when one exists. */
  save: (key: OperatorKey) => Promise<void>;
  /** The public half without unlocking anything (no passphrase), or null when there is no key yet. */
  peek?: () => Promise<PublicOperatorKey | null>;
};

/** What anyone may read of a stored key: who signs, and the public key. */
export type PublicOperatorKey = Pick<OperatorKey, 'name' | 'keyId' | 'publicKey' | 'createdAt'>;

const KeyFile = z.object({
  format: z.literal('dapple-operator-key'),
  v: z.literal(1),
  comment: z.string().optional(),
  name: z.string(),
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  publicKey: z.string(),
  createdAt: z.string(),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
    salt: z.string(),
  }),
  cipher: z.object({ name: z.literal('aes-256-gcm'), iv: z.string(), tag: z.string() }),
  seed: z.string(),
});

const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

function deriveKey(
  passphrase: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Buffer {
  return scryptSync(passphrase, salt, 32, { ...params, maxmem: 256 * params.N * params.r });
}

/** The text of a key file: the seed encrypted under the passphrase, bound to the key id. */
export function encryptKeyFile(key: OperatorKey, passphrase: string, comment?: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(passphrase, salt, SCRYPT), iv);
  cipher.setAAD(Buffer.from(key.keyId));
  const seed = Buffer.concat([cipher.update(privateSeed(key.privateKey)), cipher.final()]);
  const file: z.infer<typeof KeyFile> = {
    format: 'dapple-operator-key',
    v: 1,
    ...(comment === undefined ? {} : { comment }),
    name: key.name,
    keyId: key.keyId,
    publicKey: rawPublicKey(key.publicKey).toString('base64'),
    createdAt: key.createdAt,
    kdf: { name: 'scrypt', ...SCRYPT, salt: salt.toString('base64') },
    cipher: {
      name: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    },
    seed: seed.toString('base64'),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A key file's fields, or a UserError naming `where` with `hint` when the text is not one. */
function parseKeyFile(text: string, where: string, hint: string): z.infer<typeof KeyFile> {
  try {
    return KeyFile.parse(JSON.parse(text));
  } catch {
    throw new UserError('KEY_FILE', `${where} is not a Dapple key file.`, hint);
  }
}

/** Open a key file's text with its passphrase; `where` names the file in errors. */
export function decryptKeyFile(text: string, passphrase: string, where: string): OperatorKey {
  const file = parseKeyFile(
    text,
    where,
    'Check the path, or make a new key with dapple audit keygen.',
  );
  let seed: Buffer;
  try {
    const { N, r, p, salt } = file.kdf;
    if (N > 1 << 20 || r > 32 || p > 16) throw new Error('kdf too costly');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      deriveKey(passphrase, Buffer.from(salt, 'base64'), { N, r, p }),
      Buffer.from(file.cipher.iv, 'base64'),
    );
    decipher.setAAD(Buffer.from(file.keyId));
    decipher.setAuthTag(Buffer.from(file.cipher.tag, 'base64'));
    seed = Buffer.concat([decipher.update(Buffer.from(file.seed, 'base64')), decipher.final()]);
  } catch {
    throw new UserError(
      'KEY_PASSPHRASE',
      `The passphrase does not open ${where}.`,
      'Type the passphrase again (DAPPLE_KEY_PASSPHRASE for scripts).',
    );
  }
  const pair = keyPairFromSeed(seed);
  if (pair.keyId !== file.keyId) {
    throw new UserError(
      'KEY_FILE',
      `${where} holds a key that does not match its key id.`,
      'The file was edited: restore it from a backup.',
    );
  }
  return { ...pair, name: file.name, createdAt: file.createdAt };
}

/** The public half of a key file (its plain fields), or null when the file does not exist. */
export async function readPublicKeyFile(file: string): Promise<PublicOperatorKey | null> {
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  const parsed = parseKeyFile(
    text,
    file,
    'Move it away (a new key is made on first use), or restore it from a backup.',
  );
  const publicKey = publicKeyFromRaw(Buffer.from(parsed.publicKey, 'base64'));
  if (keyIdOf(publicKey) !== parsed.keyId) {
    throw new UserError(
      'KEY_FILE',
      `${file} holds a public key that does not match its key id.`,
      'The file was edited: restore it from a backup.',
    );
  }
  return { name: parsed.name, keyId: parsed.keyId, publicKey, createdAt: parsed.createdAt };
}

/** A KeyStore on a passphrase-protected file, written with mode 0600. */
export function fileKeyStore(file: string, passphrase: string): KeyStore {
  return {
    describe: () => `the key file ${file}`,
    peek: () => readPublicKeyFile(file),
    async load() {
      let text: string;
      try {
        const stat = await fs.stat(file);
        if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
          throw new UserError(
            'KEY_PERMISSIONS',
            `The key file ${file} can be read by other users.`,
            `Run chmod 600 ${file}, then try again.`,
          );
        }
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return decryptKeyFile(text, passphrase, `the key file ${file}`);
    },
    async save(key) {
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // 'wx': never overwrite a key someone already signs with.
      const handle = await fs.open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') {
          throw new UserError(
            'KEY_EXISTS',
            `A key file already exists at ${file}.`,
            'Use it, or move it away first if you mean to replace it.',
          );
        }
        throw error;
      });
      try {
        await handle.writeFile(encryptKeyFile(key, passphrase));
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

/** The operator's key from the store, made and saved on first use. */
export async function getOrCreateOperatorKey(
  store: KeyStore,
  name: string,
  now = new Date(),
): Promise<OperatorKey & { created: boolean }> {
  const existing = await store.load();
  if (existing) return { ...existing, created: false };
  const key: OperatorKey = { ...generateKeyPair(), name, createdAt: now.toISOString() };
  await store.save(key);
  return { ...key, created: true };
}
