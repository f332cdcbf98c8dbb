// IPC registration: one handler per contract call, accepting messages only from our own window.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  callChannel,
  calls,
  eventChannel,
  type CallName,
  type EventName,
} from '../../preload/contract';
import type { AppContext } from '../api/context';
import { checkEvent, dispatch } from '../api/dispatch';
import { isOurSender } from './sender-check';

/** Is this message from the main frame of the window we created, showing our own page? */
function fromOurWindow(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  return isOurSender(
    { sender: event.sender, senderFrame: event.senderFrame, mainFrame: event.sender.mainFrame },
    window
      ? {
          destroyed: window.isDestroyed(),
          webContentsId: window.isDestroyed() ? -1 : window.webContents.id,
        }
      : null,
  );
}

/** Register every call; returns a function that sends contract events to the window. */
export function registerIpc(ctx: AppContext, getWindow: () => BrowserWindow | null): void {
  for (const name of Object.keys(calls) as CallName[]) {
    ipcMain.handle(callChannel(name), async (event, request: unknown) => {
      if (!fromOurWindow(event, getWindow())) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN',
            message: 'Message from an unknown window refused.',
            hint: '',
          },
        };
      }
      return dispatch(name, request, ctx);
    });
  }
}

/** Send a validated event to the window (dropped, with a line on stderr, when it does not validate). */
export function sendEvent(window: BrowserWindow | null, name: EventName, payload: unknown): void {
  const checked = checkEvent(name, payload);
  if (!checked.ok) {
    process.stderr.write(`dapple: dropped event ${name}: ${checked.reason}\n`);
    return;
  }
  if (window && !window.isDestroyed()) window.webContents.send(eventChannel(name), checked.payload);
}
