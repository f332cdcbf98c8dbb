// A runbook bound to a cut, as the Restore section shows it before anything runs.
import { z } from 'zod';

/** One parameter and what it is bound to (null when the engineer still has to choose). */
export const PlanParam = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string(),
  bound: z.string().nullable(),
});

/** One step with its command exactly as it would run (argv, never a shell string). */
export const PlanStep = z.object({
  id: z.string(),
  kind: z.enum([
    'manual',
    'approval',
    'ssh',
    's3',
    'local',
    'verify',
    'restic-restore',
    'borg-extract',
    'pgbackrest-restore',
    'manifest-restore',
  ]),
  title: z.string(),
  description: z.string(),
  checklist: z.array(z.string()),
  destructive: z.boolean(),
  /** The target the engineer must type to confirm a destructive step. */
  confirmTarget: z.string().nullable(),
  /** Production targets are marked in red and can never be used by a drill. */
  production: z.boolean(),
  argv: z.array(z.string()).nullable(),
  /** Where it runs: "this machine" or a host. */
  where: z.string().nullable(),
  cwd: z.string().nullable(),
  /** Placeholders that could not be bound yet, e.g. "orders.path". */
  unbound: z.array(z.string()),
});
export type PlanStep = z.infer<typeof PlanStep>;

/** A runbook with its parameters bound to a cut. */
export const RunbookPlan = z.object({
  file: z.string(),
  title: z.string(),
  description: z.string(),
  rtoSeconds: z.number().nullable(),
  params: z.array(PlanParam),
  steps: z.array(PlanStep),
});
export type RunbookPlan = z.infer<typeof RunbookPlan>;
