// session.* calls: restore sessions (live, drill, rehearsal) that write the audit log.
// Placeholder until main/restore/ lands: every call says so in a sentence.
import { UserError } from '../errors';
import type { HandlersFor } from './types';

const notYet = (): never => {
  throw new UserError(
    'NOT_BUILT',
    'Restore sessions are not built yet.',
    'Use the rehearsal preview.',
  );
};

export const sessionHandlers: HandlersFor<'session'> = {
  'session.operator': async () => notYet(),
  'session.trustOperator': async () => notYet(),
  'session.start': async () => notYet(),
  'session.active': async () => null,
  'session.act': async () => notYet(),
};
