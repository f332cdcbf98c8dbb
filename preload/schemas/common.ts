// Shapes every call shares: the error sentence and the result envelope.
import { z } from 'zod';

/** An error that crosses the boundary: what failed, and what a tired engineer can do next. */
export const AppError = z.object({
  code: z.string().min(1),
  message: z.string().min(1),
  hint: z.string(),
  /** Technical detail for a bug report (a contract's wording), shown folded away; never the sentence. */
  detail: z.string().optional(),
});
export type AppError = z.infer<typeof AppError>;

/** What every call resolves to: never a thrown exception across the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** An ISO 8601 UTC instant, as text. */
export const IsoTime = z.string().datetime({ offset: true });

/** The six sections of the console, in menu order. */
export const Section = z.enum(['catalog', 'timeline', 'restore', 'drills', 'audit', 'health']);
export type Section = z.infer<typeof Section>;
