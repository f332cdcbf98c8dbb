// The draft runbook's commands run by hand, exactly as a plan binds them — before the step
// executors that will run them exist. The db host is this machine, so its steps run here too
// (without SSH); restic gets its password the way its executor passes it, through the environment.
import type { RunbookPlan } from '../../preload/schemas/runbook';
import { runCommand } from '../process';
import type { Shop } from './index';

/** Run one bound step's argv; resolves with its stdout, throws with its output when it fails. */
export async function runBoundStep(shop: Shop, plan: RunbookPlan, id: string): Promise<string> {
  const step = plan.steps.find((s) => s.id === id);
  const argv = step?.argv;
  if (!step || !argv || argv.length === 0) throw new Error(`plan step ${id} has no argv to run`);
  if (step.problems.length > 0)
    throw new Error(`plan step ${id} cannot run: ${step.problems.join(' ')}`);
  const env = { ...shop.env(), RESTIC_PASSWORD_FILE: shop.layout.console.resticPassword };
  return runCommand(argv[0] as string, argv.slice(1), {
    env,
    ...(step.cwd ? { cwd: step.cwd } : {}),
  });
}
