// What `dapple approve` reads on the approver's machine: their copy of the workspace (trust file,
// name, drop folder) and their own key.
import path from 'node:path';
import { UserError } from '../../ground/errors';
import { fileKeyStore, type OperatorKey } from '../../audit/key-store';
import { loadTrust, type Trust } from '../../audit/trust';
import { loadWorkspace } from '../../workspace/load';
import { defaultDataDir } from '../../paths';
import { operatorKeyFile } from '../../restore/operator';
import { flagString, type CliIo, type ParsedArgs } from '../command';

/** The approver's workspace copy: trust, name and drop folder (a folder without dapple.yaml is fine). */
export async function approverPlace(parsed: ParsedArgs, io: CliIo) {
  const dir = path.resolve(io.cwd, flagString(parsed, 'workspace') ?? '.');
  const loaded = await loadWorkspace(dir).catch(() => null);
  const given = flagString(parsed, 'trusted');
  const trustFile = given
    ? path.resolve(io.cwd, given)
    : (loaded?.workspace?.trustedKeys ?? path.join(dir, 'keys', 'trusted.json'));
  const trust: Trust = await loadTrust(trustFile);
  return { dir, workspace: loaded?.workspace ?? null, trust, trustFile };
}

/** The approver's own key. */
export async function approverKey(parsed: ParsedArgs, io: CliIo): Promise<OperatorKey> {
  const given = flagString(parsed, 'key');
  const file = given ? path.resolve(io.cwd, given) : operatorKeyFile(defaultDataDir(io.env));
  const passphrase = io.env.DAPPLE_KEY_PASSPHRASE;
  if (!passphrase) {
    throw new UserError(
      'NO_PASSPHRASE',
      `No passphrase for your key file ${file}.`,
      'Set DAPPLE_KEY_PASSPHRASE to the passphrase that protects it.',
    );
  }
  const key = await fileKeyStore(file, passphrase).load();
  if (!key) {
    throw new UserError(
      'NO_KEY',
      `There is no key file at ${file}.`,
      'Make yours with dapple audit keygen and have it added to keys/trusted.json in review.',
    );
  }
  return key;
}
