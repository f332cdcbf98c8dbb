// A step's time in words: how long it waited for a person and how long its commands ran, counted
// from when it became current. The open step ticks; finished steps show what the log says.
import { useEffect, useState } from 'react';
import type { CommandView, StepView } from '../../../../preload/schemas/audit';
import { stepTimes } from '../../../../preload/schemas/step-times';
import { formatDuration } from '../../ui/format';

/** Now, every second while `ticking` (a sealed session's steps do not move). */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

const d = (ms: number) => formatDuration(ms / 1000);

/**
 * "waited 2m 10s · ran 45s"; for the open step, what it is doing now ("waiting for the approver
 * 1m 05s", "running 30s"). Empty for a step that has not become current.
 */
export function stepClockText(
  step: StepView,
  commands: readonly CommandView[],
  nowMs: number,
  open: { running: boolean; who: string } | null,
): string {
  const t = stepTimes(step, commands, nowMs);
  if (!t) return '';
  if (open) {
    const ran = t.runningMs > 0 ? ` · ran ${d(t.runningMs)}` : '';
    const waited = t.waitingMs >= 1000 ? ` · waited ${d(t.waitingMs)}` : '';
    return open.running
      ? `running${ran.replace(' · ran', '')}${waited}`
      : `waiting for ${open.who} ${d(t.waitingMs)}${ran}`;
  }
  const parts = [`waited ${d(t.waitingMs)}`];
  if (t.runningMs > 0) parts.push(`ran ${d(t.runningMs)}`);
  return parts.join(' · ');
}
