// The review report as Markdown, for tickets and post-mortems. Text from the log is escaped so
// that it renders as the words it is (no links, HTML or table breaks smuggled in by a log).
import type { ReportModel } from './report-model';

/** Escape text for a Markdown paragraph or table cell (one line). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|<>~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

const md = escapeMarkdown;

/** A fenced block whose fence is longer than any backtick run inside it. */
export function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/\n$/, '')}\n${fence}`;
}

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '_None._';
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** Render the report as Markdown. */
export function renderMarkdown(m: ReportModel): string {
  const out: string[] = [
    `# ${md(m.title)}`,
    '',
    `Log ${md(m.sourceName)} · report made ${md(m.generatedAt)} by Dapple`,
    '',
    `> **${m.words.verdict} — ${md(m.words.headline)}.** ${md(m.words.sentence)}`,
    '',
    ...m.notes.flatMap((n) => [`_${md(n)}_`, '']),
    '## Restored to',
    '',
    table(
      ['What', 'Value'],
      m.restoredTo.map(([k, v]) => [md(k), md(v)]),
    ),
    '',
    '## Measured time',
    '',
    md(m.rtoText),
    '',
    md(m.timeSplit),
    '',
    '## Session',
    '',
    table(
      ['Fact', 'Value'],
      m.facts.map(([k, v]) => [md(k), md(v)]),
    ),
    '',
    '## Signers',
    '',
    table(
      ['Name', 'Key id', 'Records', 'Approvals', 'Valid'],
      m.signers.map((s) => [
        md(s.name),
        `\`${s.keyId}\``,
        String(s.records),
        String(s.approvals),
        md(`${s.validFrom ?? '?'} to ${s.validUntil ?? 'open'}`),
      ]),
    ),
    '',
    ...m.keyNotes.flatMap((n) => [
      `> ${n.tone === 'warn' ? '**Warning:** ' : ''}${md(n.sentence)}`,
      '',
    ]),
    '## Steps',
    '',
    "A step's time starts when it becomes current; waiting is for people, running is its commands.",
    '',
    table(
      ['Step', 'State', 'Attempts', 'Waiting', 'Running', 'Error'],
      m.steps.map((s) => [
        md(s.title),
        s.state === 'failed' ? `**${s.state}**` : s.state,
        String(s.attempts),
        s.waiting,
        s.running,
        md(s.error),
      ]),
    ),
    '',
    '## Approvals',
    '',
    table(
      ['Step', 'Decision', 'Approver', 'Signed by key', 'Statement', 'Time'],
      m.approvals.map((a) => [
        md(a.step),
        a.decision,
        md(a.approver) +
          (a.selfApproved ? " **(the operator's own key: not a second person)**" : ''),
        `${md(a.signer)} \`${a.keyId}\``,
        md(a.statement),
        md(a.ts),
      ]),
    ),
    '',
    '## Typed confirmations',
    '',
    table(
      ['Step', 'Who', 'Prompt', 'Typed', 'Matched'],
      m.confirmations.map((c) => [
        md(c.step),
        md(c.actor),
        md(c.prompt),
        md(c.typed),
        c.ok ? 'yes' : '**NO**',
      ]),
    ),
    '',
    '## Commands and hosts',
    '',
  ];
  if (m.commands.length === 0) out.push('_None._', '');
  for (const c of m.commands) {
    out.push(
      `### ${md(c.id)} · ${md(c.step)}`,
      '',
      `On **${md(c.host)}** at ${md(c.startedAt)}: ${c.result === 'exit 0' ? c.result : `**${md(c.result)}**`} after ${c.duration}, ${c.outputBytes} bytes of output.`,
      '',
      fenced(c.argv),
      '',
    );
    if (c.excerpt) out.push('End of its output:', '', fenced(c.excerpt), '');
  }
  out.push(
    '## Operator notes',
    '',
    table(
      ['Time', 'Who', 'Step', 'Note'],
      m.operatorNotes.map((n) => [md(n.ts), md(n.actor), md(n.step), md(n.text)]),
    ),
    '',
    '## Timeline',
    '',
    table(
      ['Seq', 'Time (UTC)', 'Since open', 'Signer', 'What happened'],
      m.timeline.map((t) => [String(t.seq), md(t.ts), md(t.offset), md(t.actor), md(t.summary)]),
    ),
    '',
  );
  return out.join('\n');
}
