// The shape of window.dapple, derived from the contract: calls grouped by namespace, events by name.
import type {
  CallName,
  CallRequest,
  CallResponse,
  EventName,
  EventPayload,
  Result,
} from './contract';

type Namespace<K> = K extends `${infer N}.${string}` ? N : never;
type MethodsOf<N extends string> = {
  [K in CallName as K extends `${N}.${infer M}` ? M : never]: (
    request: CallRequest<K>,
  ) => Promise<Result<CallResponse<K>>>;
};

/** window.dapple: one function per contract call, one subscription per contract event. */
export type DappleApi = { [N in Namespace<CallName>]: MethodsOf<N> } & {
  on: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
};

/** Split a call name into namespace and method (both sides build the API the same way). */
export function splitCallName(name: string): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}
