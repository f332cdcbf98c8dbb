// An approver's signer for one approval: their own key file, opened with their passphrase here
// and dropped after signing. The operator's own key and keys the workspace does not trust are
// refused before anything is written.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../ground/errors';
import { decryptKeyFile } from '../audit/key-store';
import { keySigner, type Signer } from '../audit/keys';
import { loadTrust } from '../audit/trust';
import type { Workspace } from '../workspace/types';

/** What the approval step asks of the key. */
export type ApproverCheck = {
  workspace: Workspace;
  /** Names allowed to approve (empty: anyone the workspace trusts). */
  approvers: string[];
  /** Key ids that already approved this attempt. */
  already: string[];
  operatorKeyId: string;
  /** keyFile as given (relative to the workspace), or undefined for keys/<approver>.key. */
  keyFile: string | undefined;
  passphrase: string;
};

/** The key file to open: the one given, else keys/<name>.key of the first approver still missing. */
async function keyFileFor(check: ApproverCheck): Promise<string> {
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
function openApproverKey(
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

/** Open the approver's key and check it may approve; the signer signs one approval record. */
export async function approverSigner(check: ApproverCheck): Promise<Signer> {
  const file = await keyFileFor(check);
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(
      'APPROVER_KEY_MISSING',
      `The approver's key file ${file} cannot be read (${e.code ?? 'error'}).`,
      'Check the path of the key file.',
    );
  });
  const key = openApproverKey(text, check.passphrase, file);
  if (key.keyId === check.operatorKeyId) {
    throw new UserError(
      'SELF_APPROVAL',
      `${key.name} cannot approve this session: that is the operator's own key.`,
      'A second engineer approves with their own key file and passphrase.',
    );
  }
  if (check.approvers.length > 0 && !check.approvers.includes(key.name)) {
    throw new UserError(
      'APPROVER_NOT_LISTED',
      `${key.name} is not an approver of this step (the runbook names ${check.approvers.join(', ')}).`,
      'Ask one of the named approvers, or change the runbook in review.',
    );
  }
  if (check.already.includes(key.keyId)) {
    throw new UserError(
      'APPROVAL_REPEATED',
      `${key.name} already approved this step.`,
      'A different approver must sign the next approval.',
    );
  }
  // The trust file may have been made after the workspace loaded (trusting the operator's key).
  const trustFile =
    check.workspace.trustedKeys ?? path.join(check.workspace.root, 'keys', 'trusted.json');
  const trusted = await loadTrust(trustFile).catch(() => null);
  if (!trusted?.has(key.keyId)) {
    throw new UserError(
      'APPROVER_UNTRUSTED',
      `The key of ${key.name} (${key.keyId.slice(0, 16)}…) is not in the workspace's keys/trusted.json, so the log would not verify.`,
      `Add it with dapple audit export-key --key ${file} --into keys/trusted.json (reviewed in git), then approve again.`,
    );
  }
  return keySigner(key, key.name);
}
