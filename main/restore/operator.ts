// The operator's signing key: where it lives (keychain in the app, passphrase file elsewhere),
// whether the workspace trusts it, and adding it to keys/trusted.json.
import { promises as fs } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { UserError } from '../ground/errors';
import type { PromptBroker } from '../ground/prompts';
import {
  fileKeyStore,
  getOrCreateOperatorKey,
  readPublicKeyFile,
  type KeyStore,
  type OperatorKey,
  type PublicOperatorKey,
} from '../audit/key-store';
import {
  loadTrust,
  trustEntry,
  TrustFile,
  type TrustedKey,
  type TrustedKeyEntry,
} from '../audit/trust';
import type { Workspace } from '../workspace/types';

/** The operator key file of browser mode and the CLI. */
export const operatorKeyFile = (dataDir: string): string =>
  path.join(dataDir, 'keys', 'operator.key');

/** The name a new key signs as: DAPPLE_OPERATOR, else the login name. */
export function operatorName(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DAPPLE_OPERATOR) return env.DAPPLE_OPERATOR;
  try {
    return userInfo().username || 'operator';
  } catch {
    return env.USER ?? 'operator';
  }
}

/**
 * The passphrase key file: the passphrase from DAPPLE_KEY_PASSPHRASE, else asked through the
 * console (browser mode) only when the private key is needed — reading who signs (peek) asks
 * nothing. Without either, a sentence says what to set.
 */
export async function passphraseKeyStore(
  file: string,
  env: NodeJS.ProcessEnv,
  prompts: PromptBroker | null,
): Promise<KeyStore> {
  const ask = async (exists: boolean): Promise<string> => {
    let passphrase = env.DAPPLE_KEY_PASSPHRASE ?? null;
    if (!passphrase && prompts) {
      passphrase = await prompts.askPassphrase({
        host: 'this machine',
        keyFile: file,
        message: exists
          ? `Type the passphrase of your signing key ${file}: every record of the session is signed with it.`
          : `Choose a passphrase for your new signing key ${file}: every record of your sessions is signed with it.`,
      });
    }
    if (!passphrase) {
      throw new UserError(
        'NO_PASSPHRASE',
        `No passphrase for the operator key file ${file}.`,
        'Set DAPPLE_KEY_PASSPHRASE to the passphrase that protects your key (or type it when asked).',
      );
    }
    return passphrase;
  };
  const exists = () =>
    fs.stat(file).then(
      () => true,
      () => false,
    );
  return {
    describe: () => `the key file ${file}`,
    peek: () => readPublicKeyFile(file),
    load: async () => ((await exists()) ? fileKeyStore(file, await ask(true)).load() : null),
    save: async (key) => fileKeyStore(file, await ask(false)).save(key),
  };
}

/** The operator's key from a store, made on first use. */
export function loadOperatorKey(
  store: KeyStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OperatorKey & { created: boolean }> {
  return getOrCreateOperatorKey(store, operatorName(env));
}

/** Whether the workspace's keys/trusted.json lists the key. */
export async function operatorTrusted(workspace: Workspace, keyId: string): Promise<boolean> {
  const file = workspace.trustedKeys ?? path.join(workspace.root, 'keys', 'trusted.json');
  const trust = await loadTrust(file).catch(() => null);
  return trust?.has(keyId) ?? false;
}

/** The workspace trust file's entry for the key, or null when the file does not list it. */
export async function operatorTrustEntry(
  workspace: Workspace,
  keyId: string,
): Promise<TrustedKey | null> {
  const file = workspace.trustedKeys ?? path.join(workspace.root, 'keys', 'trusted.json');
  const trust = await loadTrust(file).catch(() => null);
  return trust?.get(keyId) ?? null;
}

/** Add (or keep) the operator's entry in the workspace's keys/trusted.json. */
export async function trustOperator(workspace: Workspace, key: PublicOperatorKey): Promise<string> {
  const file = workspace.trustedKeys ?? path.join(workspace.root, 'keys', 'trusted.json');
  const text = await fs.readFile(file, 'utf8').catch(() => '{"v":1,"keys":[]}');
  let existing: TrustedKeyEntry[];
  try {
    existing = TrustFile.parse(JSON.parse(text)).keys;
  } catch {
    throw new UserError(
      'TRUST_FILE',
      `${file} is not a valid trust file, so your key was not added.`,
      'Fix it by hand (it is reviewed in git), then try again.',
    );
  }
  if (existing.some((e) => e.keyId === key.keyId)) return file;
  const entry = trustEntry(key.publicKey, key.name, key.createdAt, null);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify({ v: 1, keys: [...existing, entry] }, null, 2)}\n`);
  return file;
}
