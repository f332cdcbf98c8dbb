// An approver's key for one in-person approval: their own key file, opened with their passphrase
// at the operator's screen and dropped after signing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../ground/errors';
import { decryptKeyFile } from '../audit/key-store';
import type { KeyPair } from '../audit/keys';
import type { Workspace } from '../workspace/types';

/** Which key file an in-person approval opens, and its passphrase. */
export type ApproverKeyFile = {
  workspace: Workspace;
  /** Names allowed to approve: their keys/<name>.key is the default file. */
  approvers: string[];
  /** keyFile as given (relative to the workspace), or undefined for keys/<approver>.key. */
  keyFile: string | undefined;
  passphrase: string;
};

/** The key file to open: the one given, else keys/<name>.key of the first approver still missing. */
async function keyFileFor(check: ApproverKeyFile): Promise<string> {
  if (check.keyFile !== undefined) return path.resolve(check.workspace.root, check.keyFile);
  for (const name of check.approvers) {
    const file = path.join(check.workspace.root, 'keys', `${name}.key`);
    if (await fs.stat(file).catch(() => null)) return file;
  }
  throw new UserError(
    'APPROVER_KEY_MISSING',
    `No key file of ${check.approvers.join(' or ') || 'an approver'} was found in ${path.join(check.workspace.root, 'keys')}.`,
    'Give the approver’s key file (keys/<name>.key), or ask them to make one with dapple audit keygen.',
  );
}

/** The approver's key; a wrong passphrase is the approver's to retype, not the operator's variable. */
function decryptApproverKey(
  text: string,
  passphrase: string,
  file: string,
): ReturnType<typeof decryptKeyFile> {
  try {
    return decryptKeyFile(text, passphrase, `the approver's key file ${file}`);
  } catch (error) {
    if (error instanceof UserError && error.code === 'KEY_PASSPHRASE') {
      throw new UserError(
        error.code,
        error.message,
        'The approver types their passphrase again (DAPPLE_APPROVER_PASSPHRASE for scripts).',
      );
    }
    throw error;
  }
}

/**
 * Open the approver's key file at the operator's screen (in person). Whether the key may approve
 * is the gate's to decide (approval-gates.ts), by what the trust file says about its key id:
 * the `name` a key file carries about itself never counts.
 */
export async function openApproverKey(check: ApproverKeyFile): Promise<KeyPair> {
  const file = await keyFileFor(check);
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(
      'APPROVER_KEY_MISSING',
      `The approver's key file ${file} cannot be read (${e.code ?? 'error'}).`,
      'Check the path of the key file.',
    );
  });
  return decryptApproverKey(text, check.passphrase, file);
}
