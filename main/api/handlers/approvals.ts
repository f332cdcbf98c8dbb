// approvals.* calls: the console as the approver's machine. A pasted or dropped request is
// checked against this workspace's trusted keys and shown; this console's own key signs the
// response, written to the drop folder when the workspace has one.
import path from 'node:path';
import type { ApprovalRequestRead } from '../../../preload/schemas/approvals';
import { UserError } from '../../ground/errors';
import { loadTrust, type Trust } from '../../audit/trust';
import { responseFile, waitingRequests, writeDocument } from '../../approvals/desk';
import {
  answerProblem,
  checkRequest,
  signResponse,
  type CheckedRequest,
} from '../../approvals/respond';
import type { AppContext } from '../context';
import { operatorKey } from './session';
import type { HandlersFor } from './types';

/** The open workspace's trust: the approver's copy of the team's keys/trusted.json. */
async function trustOf(ctx: AppContext): Promise<{ trust: Trust; dropFolder: string | null }> {
  const workspace = ctx.workspace;
  if (!workspace) {
    throw new UserError(
      'NO_WORKSPACE',
      'No workspace is open, so there is no trust file to check the request against.',
      'Open your copy of the workspace (its keys/trusted.json says whose keys count).',
    );
  }
  const file = workspace.trustedKeys ?? path.join(workspace.root, 'keys', 'trusted.json');
  return { trust: await loadTrust(file), dropFolder: workspace.approvalsDir ?? null };
}

/** This console's key, without asking for a passphrase when only its id is needed. */
async function myKey(ctx: AppContext) {
  return operatorKey(ctx).then(
    (k) => k.key,
    () => null,
  );
}

/** A checked request as the dialog shows it. */
function readView(
  req: CheckedRequest,
  me: { name: string; keyId: string } | null,
  trust: Trust,
): ApprovalRequestRead {
  return {
    sha256: req.doc.sha256,
    request: req.doc.payload,
    operatorName: req.operatorName,
    expired: req.expired,
    me,
    problem: me ? answerProblem(req, me.keyId, trust) : null,
  };
}

export const approvalsHandlers: HandlersFor<'approvals'> = {
  'approvals.read': async (request, ctx) => {
    const { trust } = await trustOf(ctx);
    const req = checkRequest(request.text, trust, new Date());
    const key = await myKey(ctx);
    const me = key ? { name: trust.get(key.keyId)?.name ?? key.name, keyId: key.keyId } : null;
    return readView(req, me, trust);
  },
  'approvals.sign': async (request, ctx) => {
    const { trust, dropFolder } = await trustOf(ctx);
    const req = checkRequest(request.text, trust, new Date());
    const { key } = await operatorKey(ctx);
    const problem = answerProblem(req, key.keyId, trust);
    if (problem) throw new UserError('CANNOT_ANSWER', problem, 'Nothing was signed.');
    const name = trust.get(key.keyId)?.name ?? key.name;
    const response = await signResponse(req, key, name, {
      decision: request.decision,
      statement: request.statement.trim(),
      now: new Date(),
    });
    const file = responseFile(response, { dropFolder, requestFile: null });
    if (file) await writeDocument(response, file);
    return { line: response.line, file, decision: request.decision, approver: name };
  },
  'approvals.waiting': async (_request, ctx) => {
    const { trust, dropFolder } = await trustOf(ctx);
    if (!dropFolder) return { dropFolder: null, requests: [] };
    const key = await myKey(ctx);
    const me = key ? { name: trust.get(key.keyId)?.name ?? key.name, keyId: key.keyId } : null;
    const found = await waitingRequests(dropFolder, trust, new Date());
    return {
      dropFolder,
      requests: found.slice(0, 50).map((w) => ({
        file: w.file,
        line: w.request?.doc.line ?? null,
        read: w.request ? readView(w.request, me, trust) : null,
        problem: w.problem,
      })),
    };
  },
};
