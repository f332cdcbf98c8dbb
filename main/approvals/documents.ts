// The approval documents' payload schemas live with the contract (preload/schemas/approvals.ts),
// so the console reads the same shapes main signs; here, each kind's schema by name.
import type { z } from 'zod';
import {
  RequestPayload,
  ResponsePayload,
  StandingPayload,
  type DocumentKind,
} from '../../preload/schemas/approvals';

export {
  KINDS,
  NextStep,
  RequestPayload,
  ResponsePayload,
  StandingPayload,
} from '../../preload/schemas/approvals';
export type { DocumentKind } from '../../preload/schemas/approvals';

/** The payload schema of each kind. */
export const PAYLOADS = {
  request: RequestPayload,
  response: ResponsePayload,
  standing: StandingPayload,
} as const;

/** The payload type of each kind. */
export type PayloadOf<K extends DocumentKind> = z.infer<(typeof PAYLOADS)[K]>;
