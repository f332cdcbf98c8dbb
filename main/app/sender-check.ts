// Which IPC messages main accepts: only from the main frame of the window we created, showing our
// own page. Kept free of electron imports so it is tested without the Electron binary.

/** The parts of an IPC event the check reads. */
export type SenderFacts = {
  sender: { id: number };
  senderFrame: { url: string } | null;
  /** The sender's main frame (the event's sender.mainFrame). */
  mainFrame: unknown;
};

/** The parts of our window the check reads. */
export type OurWindow = { destroyed: boolean; webContentsId: number } | null;

/** True when the message comes from our window's top frame and our own page (file://). */
export function isOurSender(event: SenderFacts, window: OurWindow): boolean {
  if (!window || window.destroyed) return false;
  if (event.sender.id !== window.webContentsId) return false;
  const frame = event.senderFrame;
  return frame !== null && frame === event.mainFrame && frame.url.startsWith('file://');
}
