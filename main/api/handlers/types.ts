// The type of a handler: the contract's request in, the contract's response out.
import type { CallName, CallRequest, CallResponse } from '../../../preload/contract';
import type { AppContext } from '../context';

/** One call's implementation. Requests arrive already validated. */
export type Handler<K extends CallName> = (
  request: CallRequest<K>,
  ctx: AppContext,
) => Promise<CallResponse<K>>;

/** Handlers for every call whose name starts with a namespace prefix. */
export type HandlersFor<P extends string> = {
  [K in CallName as K extends `${P}.${string}` ? K : never]: Handler<K>;
};
