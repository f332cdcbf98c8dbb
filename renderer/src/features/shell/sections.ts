// The six sections in menu order, with their shortcut digit and one line on what each is for.
import type { Section } from '../../../../preload/contract';

export type SectionInfo = { id: Section; label: string; purpose: string };

export const sections: SectionInfo[] = [
  {
    id: 'catalog',
    label: 'Catalog',
    purpose: 'Every recovery point across backends, and whether it can be trusted.',
  },
  {
    id: 'timeline',
    label: 'Timeline',
    purpose: 'Consistency groups on one timeline: the cuts that fit together.',
  },
  {
    id: 'restore',
    label: 'Restore',
    purpose: 'A guided, checklist-driven restore from a runbook.',
  },
  {
    id: 'drills',
    label: 'Drills',
    purpose: 'Rehearse runbooks against sandbox targets and measure time against the RTO.',
  },
  {
    id: 'audit',
    label: 'Audit',
    purpose: 'Verify a signed audit log offline and replay it step by step.',
  },
  {
    id: 'health',
    label: 'Health',
    purpose: 'Findings worth a human’s attention, most severe first.',
  },
];
