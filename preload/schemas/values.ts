// Plain values the schemas are built from and the console reads at run time. No zod here: the
// renderer bundle imports these, and pulling zod in would add ~450 KB to every page load.

/** Kinds of recovery point. */
export const POINT_KINDS = ['full', 'diff', 'incr', 'snapshot', 'window'] as const;

/** Object Lock modes (and their equivalents), in the order the catalog's `lock` column counts them. */
export const LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE', 'LEGAL_HOLD', 'WORM'] as const;
