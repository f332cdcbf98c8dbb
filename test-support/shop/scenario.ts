// Steps of the shop scenario (shop.test.ts) that talk to Dapple as its users do: a check script
// against a place, the draft runbook bound through the API, `dapple drill --unattended`, and a
// drill session driven through the API's one dispatch door.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Cut } from '../../preload/schemas/groups';
import type { RunbookPlan } from '../../preload/schemas/runbook';
import type { LiveSession } from '../../preload/schemas/session';
import { createContext, type AppContext } from '../../main/api/context';
import { dispatch } from '../../main/api/dispatch';
import { activeSession } from '../../main/api/handlers/session';
import { openWorkspace } from '../../main/api/handlers/workspace';
import { runCommand } from '../process';
import { dappleJson, runDapple } from './dapple-cli';
import type { Shop } from './index';

export type Point = {
  service: string;
  source: string;
  id: string;
  time: string;
  endTime: string | null;
  kind: string;
};

/** Run one of checks/ with the shop's environment: its exit code and what it printed. */
export const checkScript = (shop: Shop, script: string, args: string[]) =>
  runCommand(process.execPath, [join(__dirname, 'checks', script), ...args], {
    env: shop.env(),
  }).then(
    (stdout) => ({ code: 0, text: stdout }),
    (error: Error) => ({
      code: Number(/exit (\d+)/.exec(error.message)?.[1] ?? -1),
      text: error.message,
    }),
  );

/** A context of the operator's console with the shop's workspace open, without errors. */
async function operatorContext(shop: Shop): Promise<AppContext> {
  const ctx = createContext({
    version: 'test',
    transport: 'browser',
    dataDir: shop.operator.dataDir,
    emit: () => {},
  });
  await openWorkspace(shop.workspace, ctx);
  const errors = (ctx.current?.problems ?? []).filter((p) => p.severity === 'error');
  expect(errors).toEqual([]);
  return ctx;
}

/** The draft runbook bound to the cut and a choice, through the API as the console asks for it. */
export async function planOf(shop: Shop, cut: Cut, choice: object): Promise<RunbookPlan> {
  const ctx = await operatorContext(shop);
  const answer = await dispatch(
    'runbook.plan',
    { file: 'runbooks/shop-incident.yaml', cut, ...choice },
    ctx,
  );
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as RunbookPlan;
}

export type DrillSummary = {
  outcome: string;
  verdict: string;
  totalMs: number;
  rtoMs: number;
  logPath: string;
  stoppedAt: { step: string; reason: string } | null;
  steps: { id: string; status: string; durationMs: number }[];
};

/** `dapple drill --unattended --json` as the operator with this standing approval; its summary and exit code. */
export async function unattendedDrill(
  shop: Shop,
  standing: string,
): Promise<{ code: number | null; summary: DrillSummary }> {
  const run = await runDapple(
    [
      'drill',
      '--workspace',
      shop.workspace,
      '--group',
      'shop',
      '--unattended',
      '--approval',
      standing,
      '--json',
    ],
    shop.env(),
    '',
    // What it printed, as it goes (tail it while the test runs; kept with the shop's folder).
    (chunk) => appendFileSync(join(shop.layout.root, 'unattended-drill.log'), chunk),
  );
  if (run.code !== 0 && run.code !== 1)
    throw new Error(`dapple drill exited ${run.code}:\n${run.stderr}${run.stdout}`);
  return { code: run.code, summary: JSON.parse(run.stdout) as DrillSummary };
}

/** Start a drill of the draft runbook at the cut through the API; `act` does one action and waits. */
export async function startApiDrill(
  shop: Shop,
  cut: Cut,
): Promise<(action: object) => Promise<LiveSession | null>> {
  const ctx = await operatorContext(shop);
  const file = 'runbooks/shop-incident.yaml';
  const started = await dispatch('session.start', { file, cut, mode: 'drill' }, ctx);
  if (!started.ok) throw new Error(started.error.message);
  const id = (started.value as { id: string }).id;
  return async (action: object) => {
    const answer = await dispatch('session.act', { id, action }, ctx);
    if (!answer.ok) throw new Error(answer.error.message);
    await activeSession(ctx)?.idle();
    return activeSession(ctx)?.view() ?? null;
  };
}

/** The cut `dapple groups best` proposes for the shop group before `before` (it must find one). */
export async function bestCut(shop: Shop, before: string): Promise<Cut> {
  const best = await dappleJson<{ cut: Cut | null; reason: string }>(
    [
      'groups',
      'best',
      '--workspace',
      shop.workspace,
      '--group',
      'shop',
      '--before',
      before,
      '--json',
    ],
    shop.env(),
  );
  expect(best.cut, best.reason).not.toBeNull();
  return best.cut as Cut;
}
