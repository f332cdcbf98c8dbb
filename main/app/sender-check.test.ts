// The IPC sender check. Electron cannot run here (no binary), so the event and window are plain
// objects with the same fields Electron gives; the Electron e2e project covers the real thing.
import { describe, expect, it } from 'vitest';
import { isOurSender } from './sender-check';

const ourFrame = { url: 'file:///app/out/renderer/index.html' };
const event = (
  over: Partial<{ id: number; frame: { url: string } | null; main: unknown }> = {},
) => ({
  sender: { id: over.id ?? 7 },
  senderFrame: over.frame === undefined ? ourFrame : over.frame,
  mainFrame: over.main ?? ourFrame,
});
const window = { destroyed: false, webContentsId: 7 };

describe('IPC sender check', () => {
  it('accepts our window’s main frame showing our page', () => {
    expect(isOurSender(event(), window)).toBe(true);
  });
  it('refuses another web contents', () => {
    expect(isOurSender(event({ id: 8 }), window)).toBe(false);
  });
  it('refuses a subframe, even of our window', () => {
    const sub = { url: 'file:///app/out/renderer/index.html' };
    expect(isOurSender(event({ frame: sub }), window)).toBe(false);
  });
  it('refuses a remote page that took over the frame', () => {
    const remote = { url: 'https://evil.example/' };
    expect(isOurSender(event({ frame: remote, main: remote }), window)).toBe(false);
  });
  it('refuses when the window is gone or destroyed', () => {
    expect(isOurSender(event(), null)).toBe(false);
    expect(isOurSender(event(), { ...window, destroyed: true })).toBe(false);
    expect(isOurSender(event({ frame: null }), window)).toBe(false);
  });
});
