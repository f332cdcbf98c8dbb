// The policy the engine reads from a runbook file: who approves and how many, how long a command
// may run, which manual steps a schedule may tick, how long an approval request lives. Read from
// YAML that passed the runbook schema, as a session reads it; then the same reader on objects that
// never saw the schema, which must still give the safe answer.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { RunbookFile } from '../runbook/plan';
import { validators } from '../workspace/validators';
import type { StepView } from '../../preload/schemas/audit';
import { skipGate } from './gates';
import {
  DEFAULT_REQUEST_MS,
  planStep,
  rollbackOfPlan,
  ruleOf,
  runbookPolicy,
  stepRules,
} from './rules';

/** A runbook as a session gets it: YAML text that passed the schema. */
function runbook(yaml: string): RunbookFile {
  const value: unknown = parse(yaml);
  const validate = validators().runbook;
  if (!validate(value)) throw new Error(JSON.stringify(validate.errors));
  return value as RunbookFile;
}

const RUNBOOK = `title: Policies
version: 3
approvalExpires: 10m
steps:
  - id: announce
    kind: manual
    title: Announce
    checklist: [Posted]
  - id: tick
    kind: manual
    title: Ticked by a schedule
    checklist: [Done]
    unattended: ok
  - id: one
    kind: approval
    title: One approver
    approvers: [ana]
  - id: two
    kind: approval
    title: Two approvers
    approvers: [ana, bo, cy]
    approvals: 2
  - id: copy
    kind: local
    title: Copy
    run: [cp, a, b]
    timeout: 1h30m
  - id: quick
    kind: local
    title: Quick
    run: ['true']
    timeout: 0s
`;

describe('a runbook’s step rules', () => {
  const rules = stepRules(runbook(RUNBOOK));

  it('name the approvers and the quorum of each approval step', () => {
    expect(ruleOf(rules, 'one')).toMatchObject({ approvers: ['ana'], approvals: 1 });
    expect(ruleOf(rules, 'two')).toMatchObject({ approvers: ['ana', 'bo', 'cy'], approvals: 2 });
    expect(ruleOf(rules, 'announce')).toMatchObject({ approvers: [], approvals: 1 });
  });

  it('stop a command after its timeout; none, or 0s, means no limit', () => {
    expect(ruleOf(rules, 'copy').timeoutMs).toBe(5_400_000);
    expect(ruleOf(rules, 'quick').timeoutMs).toBeNull();
    expect(ruleOf(rules, 'announce').timeoutMs).toBeNull();
  });

  it('let a schedule tick only the manual steps marked unattended: ok', () => {
    expect(ruleOf(rules, 'tick').unattendedOk).toBe(true);
    expect(ruleOf(rules, 'announce').unattendedOk).toBe(false);
  });

  it('give a step the runbook does not describe one approval, no approvers, no limit', () => {
    expect(ruleOf(rules, 'nope')).toEqual({
      approvers: [],
      approvals: 1,
      timeoutMs: null,
      unattendedOk: false,
    });
  });
});

describe('the runbook-wide policy', () => {
  it('keeps the version as text and the approval request lifetime', () => {
    expect(runbookPolicy(runbook(RUNBOOK))).toEqual({ version: '3', requestMs: 600_000 });
    const named = RUNBOOK.replace('version: 3', "version: '2026.11-b'");
    expect(runbookPolicy(runbook(named)).version).toBe('2026.11-b');
  });

  it('lets a request live 30 minutes unless the runbook says otherwise (0s is not a lifetime)', () => {
    const none = RUNBOOK.replace('approvalExpires: 10m\n', '');
    expect(runbookPolicy(runbook(none)).requestMs).toBe(30 * 60_000);
    expect(DEFAULT_REQUEST_MS).toBe(30 * 60_000);
    const zero = RUNBOOK.replace('approvalExpires: 10m', 'approvalExpires: 0s');
    expect(runbookPolicy(runbook(zero)).requestMs).toBe(30 * 60_000);
  });
});

describe('on a runbook object that never saw the schema', () => {
  const raw = (step: Record<string, unknown>, top: Record<string, unknown> = {}) =>
    ({
      title: 't',
      version: 1,
      ...top,
      steps: [{ id: 's', kind: 'approval', title: 's', ...step }],
    }) as unknown as RunbookFile;
  const rule = (step: Record<string, unknown>) => ruleOf(stepRules(raw(step)), 's');

  it('needs at least one approval, a whole number of them', () => {
    expect(rule({ approvals: 0 }).approvals).toBe(1);
    expect(rule({ approvals: -2 }).approvals).toBe(1);
    expect(rule({ approvals: 0.5 }).approvals).toBe(1);
    expect(rule({ approvals: '3' }).approvals).toBe(1);
    expect(rule({ approvals: 2.9 }).approvals).toBe(2);
    expect(rule({ approvals: 1 }).approvals).toBe(1);
  });

  it('keeps only names among the approvers, and none from something that is not a list', () => {
    expect(rule({ approvers: ['ana', 7, null, 'bo'] }).approvers).toEqual(['ana', 'bo']);
    expect(rule({ approvers: 'ana' }).approvers).toEqual([]);
  });

  it('ignores a timeout that is not a duration, and unattended on a step that is not manual', () => {
    expect(rule({ timeout: 30 }).timeoutMs).toBeNull();
    expect(rule({ timeout: 'soon' }).timeoutMs).toBeNull();
    expect(rule({ kind: 'local', unattended: 'ok' }).unattendedOk).toBe(false);
    expect(rule({ kind: 'manual', unattended: true }).unattendedOk).toBe(false);
  });

  it('reads no version and the default lifetime from fields of the wrong type', () => {
    expect(runbookPolicy(raw({}, { version: { v: 1 }, approvalExpires: 600 }))).toEqual({
      version: null,
      requestMs: DEFAULT_REQUEST_MS,
    });
  });
});

describe('planStep', () => {
  it('finds a plan’s step by id, and nothing for another id', () => {
    const plan = { steps: [{ id: 'a' }, { id: 'b' }] } as unknown as RunbookPlan;
    expect(planStep(plan, 'b')).toBe(plan.steps[1]);
    expect(planStep(plan, 'c')).toBeUndefined();
  });

  it('finds a rollback step by id too; a plan made without rollback steps has none', () => {
    const plan = {
      steps: [{ id: 'a' }],
      rollback: [{ id: 'undo-a' }, { id: 'undo-b' }],
    } as unknown as RunbookPlan;
    expect(planStep(plan, 'undo-b')).toBe(plan.rollback[1]);
    expect(planStep(plan, 'a')).toBe(plan.steps[0]);
    expect(planStep(plan, 'undo-c')).toBeUndefined();
    const bare = { steps: [{ id: 'a' }] } as unknown as RunbookPlan;
    expect(rollbackOfPlan(bare)).toEqual([]);
  });
});

describe('which kinds are commands (a failed command may be skipped with a reason)', () => {
  const failed = { state: 'failed' } as StepView;
  const step = (kind: string) =>
    ({ id: 's', kind, title: 'S', destructive: false }) as unknown as RunbookPlan['steps'][number];

  it('every kind that runs a program, locally, over SSH, on S3 or through a backup tool', () => {
    const kinds = [
      'local',
      'verify',
      'ssh',
      's3',
      'restic-restore',
      'borg-extract',
      'pgbackrest-restore',
      'manifest-restore',
    ];
    for (const kind of kinds) expect(skipGate(step(kind), failed, 'host gone'), kind).toBeNull();
  });

  it('a checklist or an approval is never one, whatever its state', () => {
    expect(skipGate(step('manual'), failed, 'host gone')?.code).toBe('SKIP_REFUSED');
    expect(skipGate(step('approval'), failed, 'host gone')?.code).toBe('SKIP_REFUSED');
  });
});
