// Every call's handler, keyed by call name. The type makes a missing handler a compile error.
import type { CallName } from '../../../preload/contract';
import { appHandlers } from './app';
import { approvalsHandlers } from './approvals';
import { auditHandlers } from './audit';
import { catalogHandlers } from './catalog';
import { drillsHandlers } from './drills';
import { groupsHandlers } from './groups';
import { promptHandlers } from './prompts';
import { runbookHandlers } from './runbook';
import { sessionHandlers } from './session';
import type { Handler } from './types';
import { workspaceHandlers } from './workspace';

export const handlers: { [K in CallName]: Handler<K> } = {
  ...appHandlers,
  ...workspaceHandlers,
  ...catalogHandlers,
  ...runbookHandlers,
  ...groupsHandlers,
  ...auditHandlers,
  ...drillsHandlers,
  ...promptHandlers,
  ...sessionHandlers,
  ...approvalsHandlers,
};
