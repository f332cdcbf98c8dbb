// Checks between runbooks and the workspace: the services, targets, hosts and approvers they name exist.
import type { WorkspaceProblem } from '../../preload/schemas/workspace';
import type { Workspace } from './types';
import { lineOf, problem } from './yaml-file';
import type { YamlFile } from './yaml-file';

type Param = {
  type: string;
  service?: string;
  default?: string;
  environment?: string[];
  kind?: string;
  follows?: string;
};
type Step = { id: string; kind: string; on?: string; approvers?: string[] };
type RawRunbook = { params?: Record<string, Param>; steps: Step[] };

/** Names in keys/trusted.json ({ keys: [{ name }] }), or null when the file has no such list. */
export function trustedNames(json: unknown): Set<string> | null {
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return null;
  return new Set(
    keys.flatMap((k: unknown) =>
      typeof (k as { name?: unknown })?.name === 'string' ? [(k as { name: string }).name] : [],
    ),
  );
}

/** Problems of one schema-valid runbook against the loaded workspace. */
export function runbookReferenceProblems(
  file: YamlFile,
  workspace: Workspace,
  trusted: Set<string> | null,
): WorkspaceProblem[] {
  const raw = file.value as RawRunbook;
  const problems: WorkspaceProblem[] = [];
  const report = (
    path: (string | number)[],
    sentence: string,
    severity: WorkspaceProblem['severity'] = 'error',
  ): void => {
    problems.push(problem(file.label, lineOf(file, path), sentence, severity));
  };
  const list = (names: Iterable<string>): string => [...names].join(', ') || 'none';
  for (const [name, param] of Object.entries(raw.params ?? {})) {
    if (
      param.type === 'recovery-point' &&
      param.service !== undefined &&
      !workspace.services.has(param.service)
    ) {
      report(
        ['params', name, 'service'],
        `params.${name} wants a point of service '${param.service}', which dapple.yaml does not define (services: ${list(workspace.services.keys())}).`,
      );
    }
    const leader = param.follows === undefined ? undefined : raw.params?.[param.follows];
    if (param.follows !== undefined && (leader?.type !== 'target' || param.follows === name)) {
      report(
        ['params', name, 'follows'],
        `params.${name}.follows '${param.follows}' is not another target parameter of this runbook.`,
      );
    }
    if (param.type === 'target' && param.default !== undefined) {
      const target = workspace.targets.get(param.default);
      if (!target) {
        report(
          ['params', name, 'default'],
          `params.${name}.default '${param.default}' is not a target in dapple.yaml (targets: ${list(workspace.targets.keys())}).`,
        );
      } else if (param.environment && !param.environment.includes(target.environment)) {
        report(
          ['params', name, 'default'],
          `params.${name}.default '${param.default}' is a ${target.environment} target, which this parameter does not allow (${param.environment.join(', ')}).`,
        );
      } else if (param.kind !== undefined && param.kind !== target.kind) {
        report(
          ['params', name, 'default'],
          `params.${name}.default '${param.default}' is a ${target.kind} target, but this parameter wants a ${param.kind}.`,
        );
      }
    }
  }
  raw.steps.forEach((step, index) => {
    // A literal host must be an ssh backend; a {{placeholder}} is checked when it is bound.
    if (step.on !== undefined && !step.on.includes('{{')) {
      const backend = workspace.backends.get(step.on);
      if (backend?.type !== 'ssh') {
        const ssh = [...workspace.backends.values()]
          .filter((b) => b.type === 'ssh')
          .map((b) => b.name);
        report(
          ['steps', index, 'on'],
          `step '${step.id}' runs on '${step.on}', which is not an ssh backend in dapple.yaml (ssh backends: ${list(ssh)}).`,
        );
      }
    }
    if (trusted) {
      (step.approvers ?? []).forEach((approver, i) => {
        if (!trusted.has(approver)) {
          report(
            ['steps', index, 'approvers', i],
            `step '${step.id}' names approver '${approver}', who has no key in keys/trusted.json, so their approval could not be verified.`,
            'warning',
          );
        }
      });
    }
  });
  return problems;
}
