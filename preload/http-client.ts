// Browser mode's "preload": defines window.dapple over HTTP + SSE with the same shape as the
// Electron preload, so the renderer never knows which transport it has.
import { splitCallName } from './api-types';
import type { CallName } from './contract';
import { callNames, eventNames } from './contract-names';

const listeners = new Map<string, Set<(payload: unknown) => void>>();
let source: EventSource | null = null;

function ensureEvents() {
  if (source) return;
  source = new EventSource('/api/events');
  source.onmessage = (message: MessageEvent<string>) => {
    const { name, payload } = JSON.parse(message.data) as { name: string; payload: unknown };
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };
}

async function call(name: CallName, request: unknown) {
  try {
    const response = await fetch(`/api/call/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request ?? {}),
    });
    if (!response.ok) {
      return {
        ok: false,
        error: {
          code: `HTTP_${response.status}`,
          message: await response.text(),
          hint: 'Open the URL that dapple serve printed.',
        },
      };
    }
    return (await response.json()) as unknown;
  } catch {
    return {
      ok: false,
      error: {
        code: 'DISCONNECTED',
        message: 'The Dapple engine is not answering.',
        hint: 'Check that `dapple serve` is still running, then reload.',
      },
    };
  }
}

const api: Record<string, Record<string, unknown>> = { on: {} };
for (const name of callNames) {
  const [ns, method] = splitCallName(name);
  const group = (api[ns] ??= {});
  group[method] = (request: unknown) => call(name, request);
}
for (const name of eventNames) {
  (api.on as Record<string, unknown>)[name] = (listener: (payload: unknown) => void) => {
    ensureEvents();
    const set = listeners.get(name) ?? new Set();
    set.add(listener);
    listeners.set(name, set);
    return () => set.delete(listener);
  };
}
(window as unknown as { dapple: unknown }).dapple = Object.freeze(api);

// The token has done its job (the cookie carries it now): keep it out of history and screenshots.
if (new URL(location.href).searchParams.has('token')) history.replaceState(null, '', '/');
