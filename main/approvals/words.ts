// A request in words, as `dapple approve` prints it: who asks, for what, what will run after the
// approval word by word, with production in red (on a terminal) and in capitals (always).
import type { RequestPayload } from './documents';
import type { CheckedRequest } from './respond';

/** How to mark text: red on a terminal, plain elsewhere. */
export type Paint = { red: (text: string) => string; bold: (text: string) => string };

/** ANSI colours for a terminal, or none. */
export function paint(color: boolean): Paint {
  return color
    ? { red: (t) => `\x1b[1;31m${t}\x1b[0m`, bold: (t) => `\x1b[1m${t}\x1b[0m` }
    : { red: (t) => t, bold: (t) => t };
}

/** A word of an argv as the console shows it: quoted only when a space or quote would hide it. */
function word(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./{}-]+$/.test(w) ? w : JSON.stringify(w);
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

/** The target line, production in red. */
function targetLine(r: RequestPayload, p: Paint): string {
  if (!r.target) return 'Target: none named';
  const text = `${r.target.name} (${r.target.environment})`;
  return `Target: ${r.target.environment === 'production' ? p.red(`${text} — PRODUCTION`) : text}`;
}

/** Every line an approver reads before deciding. */
export function requestWords(req: CheckedRequest, p: Paint, now: Date): string[] {
  const r = req.doc.payload;
  const minutes = Math.round((Date.parse(r.expires) - now.getTime()) / 60_000);
  const mode = r.mode === 'live' ? p.red('LIVE restore') : r.mode;
  const lines = [
    p.bold(
      `${req.operatorName} asks for approval of "${r.step.title}" (step ${r.step.id}, attempt ${r.step.attempt})`,
    ),
    `Signature: verified with ${req.operatorName}'s key ${req.doc.envelope.key.slice(0, 16)}… from your keys/trusted.json`,
    `Workspace: ${r.workspace}   Session: ${r.session.log.slice(0, 16)}… (${r.session.file})`,
    `Runbook: ${r.runbook.title} (${r.runbook.path}${r.runbook.version ? `, version ${r.runbook.version}` : ''}, sha256 ${r.runbook.sha256.slice(0, 16)}…)`,
    `Mode: ${mode}`,
    targetLine(r, p),
    `Approvers: ${r.approvers.join(', ') || 'any trusted key but the operator'}${r.approvals > 1 ? ` (${r.approvals} must approve)` : ''}`,
    req.expired
      ? p.red(`Expired at ${when(r.expires)}: it can no longer be approved.`)
      : `Answer before ${when(r.expires)} (${minutes} min left).`,
  ];
  if (r.cut) {
    lines.push(`Cut of ${r.cut.group} at ${when(r.cut.time)}:`);
    for (const m of r.cut.members)
      lines.push(`  ${m.service}: ${m.pointId ?? 'continuous window'} at ${when(m.time)}`);
  } else lines.push('Cut: none (the runbook binds no recovery points)');
  lines.push(`After the approval, ${r.next.length} step${r.next.length === 1 ? '' : 's'} run:`);
  r.next.forEach((s, i) => {
    const marks = [
      s.destructive ? `DESTRUCTIVE: overwrites ${s.target ?? 'its target'}` : '',
      s.production ? 'PRODUCTION' : '',
    ].filter(Boolean);
    const mark = marks.length ? ` [${marks.join(', ')}]` : '';
    lines.push(`  ${i + 1}. ${s.title} (${s.kind})${s.production ? p.red(mark) : mark}`);
    if (s.argv)
      lines.push(`     runs on ${s.where ?? 'this machine'}: ${s.argv.map(word).join(' ')}`);
    if (s.s3) lines.push(`     S3: ${s.s3}`);
  });
  return lines;
}
