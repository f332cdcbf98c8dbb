// app.* calls: facts about this running Dapple.
import type { HandlersFor } from './types';

/** Version, transport and platform. */
export const appHandlers: HandlersFor<'app'> = {
  'app.info': async (_request, ctx) => ({
    version: ctx.version,
    transport: ctx.transport,
    platform: process.platform,
  }),
};
