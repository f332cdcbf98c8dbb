// prompt.* calls: the renderer's answer to a question main asked with prompt.show.
import type { HandlersFor } from './types';

export const promptHandlers: HandlersFor<'prompt'> = {
  // The passphrase goes straight to the waiting question and is not kept or echoed back.
  'prompt.answer': async (request, ctx) => {
    ctx.prompts.answer(request);
    return { ok: true as const };
  },
  // A console that opened (or reconnected) after a question was shown still gets to answer it.
  'prompt.pending': async (_request, ctx) => ctx.prompts.pending(),
};
