// The Electron preload: exposes window.dapple, built from the contract and nothing else.
// Each call has its own channel; there is no generic invoke for a compromised page to abuse.
import { contextBridge, ipcRenderer } from 'electron';
import { splitCallName } from './api-types';
import {
  callChannel,
  calls,
  eventChannel,
  events,
  type CallName,
  type EventName,
} from './contract';

const api: Record<string, Record<string, unknown>> = { on: {} };
for (const name of Object.keys(calls) as CallName[]) {
  const [ns, method] = splitCallName(name);
  const group = (api[ns] ??= {});
  group[method] = (request: unknown) => ipcRenderer.invoke(callChannel(name), request ?? {});
}
for (const name of Object.keys(events) as EventName[]) {
  (api.on as Record<string, unknown>)[name] = (listener: (payload: unknown) => void) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(eventChannel(name), wrapped);
    return () => ipcRenderer.removeListener(eventChannel(name), wrapped);
  };
}
contextBridge.exposeInMainWorld('dapple', api);
