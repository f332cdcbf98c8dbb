// The review report as one self-contained HTML page: no scripts, no remote anything, every
// text from the log escaped (a log's contents are data, never markup).
import type { ReportModel } from './report-model';

/** Escape text for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const h = escapeHtml;

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;color:#1f2328;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:24px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f6f8}td code{word-break:break-all;font-size:12px}code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f4f6f8;padding:8px;white-space:pre-wrap;word-break:break-all}
.verdict{border:2px solid;border-left-width:8px;padding:10px 14px;border-radius:6px}
.ok{border-color:#1a7f37}.warn{border-color:#9a6700}.danger{border-color:#cf222e}
.muted{color:#57606a}.bad{color:#cf222e;font-weight:600}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
`;

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  const th = head.map((c) => `<th>${h(c)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

/** Render the report as a standalone HTML document. */
export function renderHtml(m: ReportModel): string {
  const signers = table(
    ['Name', 'Key id', 'Records', 'Approvals', 'Valid'],
    m.signers.map((s) => [
      h(s.name),
      `<code>${h(s.keyId)}</code>`,
      String(s.records),
      String(s.approvals),
      h(`${s.validFrom ?? '?'} to ${s.validUntil ?? 'open'}`),
    ]),
  );
  const steps = table(
    ['Step', 'State', 'Attempts', 'Waiting', 'Running', 'Error'],
    m.steps.map((s) => [
      h(s.title),
      s.state === 'failed' ? `<span class="bad">${h(s.state)}</span>` : h(s.state),
      String(s.attempts),
      h(s.waiting),
      h(s.running),
      h(s.error),
    ]),
  );
  const restored = table(
    ['What', 'Value'],
    m.restoredTo.map(([k, v]) => [h(k), h(v)]),
  );
  const keyNotes = m.keyNotes
    .map((n) => `<p class="${n.tone === 'warn' ? 'bad' : 'muted'}">${h(n.sentence)}</p>`)
    .join('\n');
  const commands = m.commands
    .map(
      (c) => `<h3>${h(c.id)} · ${h(c.step)}</h3>
<p>On <strong>${h(c.host)}</strong> at ${h(c.startedAt)}: ${c.result === 'exit 0' ? h(c.result) : `<span class="bad">${h(c.result)}</span>`} after ${h(c.duration)}, ${c.outputBytes} bytes of output.</p>
<pre>${h(c.argv)}</pre>${c.excerpt ? `\n<p class="muted">End of its output:</p><pre>${h(c.excerpt)}</pre>` : ''}`,
    )
    .join('\n');
  const approvals = table(
    ['Step', 'Decision', 'Approver', 'Signed by key', 'Statement', 'Time'],
    m.approvals.map((a) => [
      h(a.step),
      h(a.decision),
      h(a.approver) +
        (a.selfApproved
          ? ' <span class="bad">(the operator’s own key: not a second person)</span>'
          : ''),
      `${h(a.signer)}<br><code>${h(a.keyId)}</code>`,
      h(a.statement),
      h(a.ts),
    ]),
  );
  const confirmations = table(
    ['Step', 'Who', 'Prompt', 'Typed', 'Matched'],
    m.confirmations.map((c) => [
      h(c.step),
      h(c.actor),
      h(c.prompt),
      `<code>${h(c.typed)}</code>`,
      c.ok ? 'yes' : '<span class="bad">NO</span>',
    ]),
  );
  const notes = table(
    ['Time', 'Who', 'Step', 'Note'],
    m.operatorNotes.map((n) => [h(n.ts), h(n.actor), h(n.step), h(n.text)]),
  );
  const timeline = table(
    ['Seq', 'Time (UTC)', 'Since open', 'Signer', 'What happened'],
    m.timeline.map((t) => [String(t.seq), h(t.ts), h(t.offset), h(t.actor), h(t.summary)]),
  );
  const facts = table(
    ['', ''],
    m.facts.map(([k, v]) => [h(k), h(v)]),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${h(m.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${h(m.title)}</h1>
<p class="muted">Log ${h(m.sourceName)} · report made ${h(m.generatedAt)} by Dapple</p>
<div class="verdict ${m.words.tone}"><strong>${h(m.words.verdict)} — ${h(m.words.headline)}.</strong> ${h(m.words.sentence)}</div>
${m.notes.map((n) => `<p class="muted">${h(n)}</p>`).join('\n')}
<h2>Restored to</h2>
${restored}
<h2>Measured time</h2>
<p>${h(m.rtoText)}</p>
<p>${h(m.timeSplit)}</p>
<h2>Session</h2>
${facts}
<h2>Signers</h2>
${signers}
${keyNotes}
<h2>Steps</h2>
<p class="muted">A step’s time starts when it becomes current; waiting is for people, running is its commands.</p>
${steps}
<h2>Approvals</h2>
${approvals}
<h2>Typed confirmations</h2>
${confirmations}
<h2>Commands and hosts</h2>
${commands || '<p class="muted">None.</p>'}
<h2>Operator notes</h2>
${notes}
<h2>Timeline</h2>
${timeline}
</body></html>
`;
}
