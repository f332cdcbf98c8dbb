// The approver's calls from the Approve dialog: read a request (checked against this workspace's
// trust file), sign an answer with this console's key, list the drop folder's requests. The
// dialog keeps what it shows in its own state; nothing here outlives it.
import type { ApprovalRequestRead, ApprovalResponseMade } from '../../../preload/schemas/approvals';
import { api, unwrap } from '../ipc';

/** Read and check a pasted or dropped request. */
export const readRequest = (text: string): Promise<ApprovalRequestRead> =>
  unwrap(api().approvals.read({ text }));

/** Approve or reject with this console's key. */
export const signAnswer = (
  text: string,
  decision: 'approved' | 'rejected',
  statement: string,
): Promise<ApprovalResponseMade> => unwrap(api().approvals.sign({ text, decision, statement }));

/** The requests waiting in the workspace's drop folder. */
export const waitingRequests = () => unwrap(api().approvals.waiting({}));
