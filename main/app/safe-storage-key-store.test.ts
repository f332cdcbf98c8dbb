// The keychain-sealed operator key. Electron cannot run here (no Electron binary, no OS keychain),
// so safeStorage is replaced by a plain-object stand-in with the same encrypt/decrypt/available
// shape: AES-256-GCM under a key only this stand-in holds, like a keychain bound to one account.
import { createCipheriv, createDecipheriv, randomBytes, sign, verify } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp';
import { fileKeyStore, getOrCreateOperatorKey } from '../audit/key-store';
import { privateSeed } from '../audit/keys';
import { sealedKeyStore, type StringCipher } from './safe-storage-key-store';

function standInKeychain(
  available: string | null = null,
  options: { reseal?: () => boolean } = {},
): StringCipher {
  const key = randomBytes(32);
  return {
    available: async () => available,
    encrypt: async (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt: async (sealed) => {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
      return { plain: plain.toString(), reseal: options.reseal?.() ?? false };
    },
  };
}

describe('operator key sealed by the OS keychain (safeStorage stand-in)', () => {
  let dir: TempDir;
  let file: string;
  const noFallback = () => {
    throw new Error('the passphrase file must not be used while the keychain works');
  };
  beforeEach(() => {
    dir = makeTempDir('safe-storage');
    file = join(dir.path, 'keys', 'operator.sealed.json');
  });
  afterEach(() => dir.remove());

  it('makes the key on first use, keeps only the sealed seed (0600), and signs with it later', async () => {
    const keychain = standInKeychain();
    const store = await sealedKeyStore(file, keychain, noFallback);
    expect(store.fallbackReason).toBeNull();
    const made = await getOrCreateOperatorKey(store, 'ana', new Date('2026-11-26T05:00:00Z'));
    expect(made.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(privateSeed(made.privateKey).toString('base64'));
    expect(text).not.toContain(privateSeed(made.privateKey).toString('hex'));

    const again = await getOrCreateOperatorKey(
      await sealedKeyStore(file, keychain, noFallback),
      'ana',
    );
    expect(again).toMatchObject({ created: false, keyId: made.keyId, name: 'ana' });
    const payload = Buffer.from('{"seq":0}');
    expect(verify(null, payload, made.publicKey, sign(null, payload, again.privateKey))).toBe(true);
  });

  it('never overwrites a key someone signs with', async () => {
    const keychain = standInKeychain();
    const store = await sealedKeyStore(file, keychain, noFallback);
    const made = await getOrCreateOperatorKey(store, 'ana');
    await expect(store.save(made)).rejects.toMatchObject({ code: 'KEY_EXISTS' });
  });

  it('says so when another account or machine sealed the key', async () => {
    await getOrCreateOperatorKey(await sealedKeyStore(file, standInKeychain(), noFallback), 'ana');
    const elsewhere = await sealedKeyStore(file, standInKeychain(), noFallback);
    await expect(elsewhere.load()).rejects.toMatchObject({
      code: 'KEY_KEYCHAIN',
      message: `The OS keychain could not open the keychain-sealed key file ${file}: it was sealed by another user account or machine, or the keychain was reset.`,
    });
  });

  it('refuses an edited file whose key id no longer matches', async () => {
    const keychain = standInKeychain();
    await getOrCreateOperatorKey(await sealedKeyStore(file, keychain, noFallback), 'ana');
    const record = JSON.parse(readFileSync(file, 'utf8')) as { keyId: string };
    await writeFile(file, JSON.stringify({ ...record, keyId: 'a'.repeat(64) }));
    await expect((await sealedKeyStore(file, keychain, noFallback)).load()).rejects.toMatchObject({
      code: 'KEY_FILE',
    });
    await writeFile(file, 'not json {');
    await expect((await sealedKeyStore(file, keychain, noFallback)).load()).rejects.toMatchObject({
      code: 'KEY_FILE',
    });
  });

  it('seals the same key again when the keychain says its key rotated, and still signs with it', async () => {
    let rotated = false;
    const keychain = standInKeychain(null, { reseal: () => !rotated && (rotated = true) });
    const made = await getOrCreateOperatorKey(
      await sealedKeyStore(file, keychain, noFallback),
      'ana',
    );
    const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const opened = await (await sealedKeyStore(file, keychain, noFallback)).load();
    expect(opened?.keyId).toBe(made.keyId);
    const after = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(after.sealed).not.toBe(before.sealed);
    expect({ ...after, sealed: '' }).toEqual({ ...before, sealed: '' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await (await sealedKeyStore(file, keychain, noFallback)).load();
    expect(again?.keyId).toBe(made.keyId);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(after);
  });

  it('falls back to the passphrase file with a sentence when no keychain is available', async () => {
    const passphraseFile = join(dir.path, 'operator.key');
    const store = await sealedKeyStore(
      file,
      standInKeychain('The OS keychain is not available to Dapple.'),
      () => fileKeyStore(passphraseFile, 'correct horse'),
    );
    expect(store.fallbackReason).toBe(
      `The OS keychain is not available to Dapple. Your signing key is kept in the key file ${passphraseFile}, protected by a passphrase, instead.`,
    );
    const made = await getOrCreateOperatorKey(store, 'ana');
    const reopened = await fileKeyStore(passphraseFile, 'correct horse').load();
    expect(reopened?.keyId).toBe(made.keyId);
    expect(() => statSync(file)).toThrow();
  });
});
