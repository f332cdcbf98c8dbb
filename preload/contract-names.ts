// The names of every call and event without their schemas. Browser mode builds window.dapple from
// these, so its script does not carry zod (~800 KB) to the page; a test keeps them equal to the
// contract's keys.
import type { CallName, EventName } from './contract';

export const callNames: readonly CallName[] = [
  'app.info',
  'workspace.get',
  'workspace.open',
  'workspace.reload',
  'workspace.choose',
  'groups.timeline',
  'groups.bestCut',
  'health.findings',
  'runbook.plan',
  'runbook.blastRadius',
  'catalog.get',
  'catalog.refresh',
  'catalog.point',
  'catalog.files',
  'audit.open',
  'audit.openText',
  'audit.demoLogs',
  'audit.choose',
  'audit.blob',
  'audit.report',
  'drills.history',
  'drills.predict',
  'session.operator',
  'session.trustOperator',
  'session.start',
  'session.active',
  'session.act',
  'session.blastRadius',
  'approvals.read',
  'approvals.sign',
  'approvals.waiting',
  'prompt.answer',
  'prompt.pending',
];

export const eventNames: readonly EventName[] = [
  'workspace.changed',
  'menu.navigate',
  'catalog.progress',
  'catalog.changed',
  'prompt.show',
  'session.changed',
  'prompt.closed',
];
