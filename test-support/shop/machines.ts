// Two machines of two engineers: each with its own Dapple data folder, home and signing key. The
// operator runs the console; the approver answers approval requests with `dapple approve` from
// their own copy of the workspace. keys/trusted.json names both.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileKeyStore, getOrCreateOperatorKey } from '../../main/audit/key-store';
import { trustEntry, type TrustedKeyEntry } from '../../main/audit/trust';

/** One engineer's machine: where Dapple keeps its data, their key, and the environment to run as them. */
export type Machine = {
  /** The name keys/trusted.json gives their key (runbooks list approvers by it). */
  name: string;
  /** DAPPLE_DATA_DIR: the key lives in keys/operator.key, the catalog cache in catalog/. */
  dataDir: string;
  /** HOME of their Dapple processes (an empty home: no ~/.ssh, no ~/.aws). */
  home: string;
  keyFile: string;
  keyId: string;
  passphrase: string;
  /** Their copy of the workspace (the approver's is a git clone of the operator's). */
  workspace: string;
  /** Environment for `dapple` as this person (add it to the shop's environment). */
  env: Record<string, string>;
};

/** Make a machine folder with a fresh key; the key is valid from `validFrom`. */
export async function makeMachine(
  dir: string,
  name: string,
  workspace: string,
): Promise<Machine & { trust: (validFrom: string) => TrustedKeyEntry }> {
  const dataDir = join(dir, 'dapple-data');
  const home = join(dir, 'home');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const keyFile = join(dataDir, 'keys', 'operator.key');
  const passphrase = `${name}'s passphrase for the shop drill`;
  const key = await getOrCreateOperatorKey(fileKeyStore(keyFile, passphrase), name);
  return {
    name,
    dataDir,
    home,
    keyFile,
    keyId: key.keyId,
    passphrase,
    workspace,
    env: { DAPPLE_DATA_DIR: dataDir, DAPPLE_KEY_PASSPHRASE: passphrase, HOME: home, USER: name },
    trust: (validFrom) => trustEntry(key.publicKey, name, validFrom, null),
  };
}

/** Write keys/trusted.json naming both keys. */
export function writeTrust(workspace: string, entries: TrustedKeyEntry[]): void {
  mkdirSync(join(workspace, 'keys'), { recursive: true });
  writeFileSync(
    join(workspace, 'keys', 'trusted.json'),
    `${JSON.stringify({ v: 1, keys: entries }, null, 2)}\n`,
  );
}
