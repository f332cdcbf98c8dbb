// A request the contract refuses, in words a person can read: what Dapple was asked to do and
// which value it could not take. The contract's own message (field paths, zod wording) goes into
// the error's detail, for a bug report, never into the sentence. No zod here: both sides use it.
import type { AppError } from './schemas/common';
import type { CallName } from './contract';

/** What each call does, as the end of "Dapple could not …". */
const doing: Record<CallName, string> = {
  'app.info': 'read its version',
  'workspace.get': 'show the open workspace',
  'workspace.open': 'open that workspace folder',
  'workspace.reload': 'reload the workspace',
  'workspace.choose': 'show the folder picker',
  'groups.timeline': 'draw the timeline of that group',
  'groups.bestCut': 'find the last good state before the incident',
  'health.findings': 'list the health findings',
  'runbook.plan': 'show the plan of that runbook',
  'runbook.blastRadius': 'count what that S3 step would change',
  'catalog.get': 'show the catalog',
  'catalog.refresh': 'refresh the catalog',
  'catalog.point': 'show that recovery point',
  'catalog.files': 'list the files of that snapshot',
  'audit.open': 'open that audit log',
  'audit.openText': 'open the dropped audit log',
  'audit.demoLogs': "list the workspace's audit logs",
  'audit.choose': 'show the file picker',
  'audit.blob': 'load that command output',
  'audit.report': 'write the review report',
  'drills.history': 'show the drill history',
  'drills.predict': 'predict how long this restore takes',
  'session.operator': 'read your signing key',
  'session.trustOperator': 'trust your key in this workspace',
  'session.start': 'start the session',
  'session.active': 'find the running session',
  'session.act': 'do that in the session',
  'session.blastRadius': 'count what that S3 step would change',
  'approvals.read': 'read that approval request',
  'approvals.sign': 'sign your answer to that request',
  'approvals.waiting': 'list the requests in the drop folder',
  'prompt.answer': 'take your answer',
  'prompt.pending': 'list the questions waiting for you',
};

/** Request fields as a person calls them. */
const fieldWords: Record<string, string> = {
  before: 'the incident time',
  incident: 'the incident time',
  group: 'the group name',
  file: 'the runbook file',
  path: 'the path',
  cut: 'the chosen cut',
  mode: 'the kind of session',
  id: 'the session',
  action: 'the action',
  step: 'the step',
  passphrase: 'the passphrase',
  typed: 'the typed name',
  statement: 'the statement',
  reason: 'the reason',
  text: 'the text',
  checked: 'the ticked items',
  keyFile: 'the key file',
  decision: 'the decision',
  limit: 'the number of cuts asked for',
  first: 'the number of rows asked for',
  service: 'the service',
  source: 'the source',
  sources: 'the sources',
  pointId: 'the recovery point',
  format: 'the report format',
  name: 'the file name',
  sha256: 'the output’s checksum',
  accept: 'the answer',
  parts: 'the parts asked for',
};

/** The parts of a zod issue this needs (zod's own type is not imported: no zod here). */
export type RequestIssue = {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  format?: string;
};

function what(issue: RequestIssue): string {
  const named = issue.path.find(
    (p): p is string => typeof p === 'string' && Object.hasOwn(fieldWords, p),
  );
  return named ? (fieldWords[named] ?? 'a value') : issue.path.length ? 'a value' : 'the request';
}

function wrong(issue: RequestIssue): string {
  switch (issue.code) {
    case 'invalid_format':
      return issue.format === 'datetime' || issue.format === 'date'
        ? 'is not a date and time Dapple can read'
        : 'is not written the way Dapple expects';
    case 'invalid_type':
      return /received undefined/.test(issue.message)
        ? 'is missing'
        : 'is not the right kind of value';
    case 'too_big':
      return 'is too long';
    case 'too_small':
      return 'is empty or too short';
    case 'invalid_value':
    case 'invalid_union':
      return 'is not one of the choices Dapple knows';
    case 'unrecognized_keys':
      return 'carries something Dapple does not know';
    default:
      return 'is not something Dapple can take';
  }
}

/** The contract's wording, kept for the detail (a bug report), at most three issues. */
export const issuesText = (issues: readonly RequestIssue[]): string =>
  issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : 'request'}: ${i.message}`)
    .join('; ');

/** A refused request as a sentence, a next step and the contract's detail. */
export function refusedRequest(name: CallName, issues: readonly RequestIssue[]): AppError {
  const first = issues[0];
  const because = first ? `${what(first)} ${wrong(first)}` : 'the request was not complete';
  return {
    code: 'BAD_REQUEST',
    message: `Dapple could not ${doing[name]}: ${because}.`,
    hint: 'Check what you typed or chose and try again; if it happens again, reload the window.',
    detail: `${name}: ${issuesText(issues)}`,
  };
}

/** An answer that broke the contract, as a sentence (a bug in Dapple, said plainly). */
export function brokenAnswer(name: CallName, issues: readonly RequestIssue[]): AppError {
  return {
    code: 'BAD_RESPONSE',
    message: `Dapple could not ${doing[name]}: its engine answered in a shape the console does not expect.`,
    hint: 'This is a bug in Dapple: report it with the detail below. The action may have happened, so check before trying again.',
    detail: `${name}: ${issuesText(issues)}`,
  };
}
