// The hardening rules of DESIGN.md, held in a test: isolation, sandbox, no node, web security, CSP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, metaContentSecurityPolicy } from '../bridge/csp';
import { mainWindowOptions } from './window-options';
import { loadWindowState, saveWindowState } from './window-state';

describe('main window', () => {
  it('is isolated, sandboxed and has no node integration', () => {
    const options = mainWindowOptions('/app/preload.js', {
      width: 1200,
      height: 800,
      maximized: false,
    });
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.js',
    });
  });

  it('has a strict CSP: own scripts only, no inline, no eval, no remote', () => {
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
  });

  it('ships the same CSP in the page as in the response header', () => {
    const html = fs.readFileSync(path.join(__dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(metaContentSecurityPolicy);
    expect(contentSecurityPolicy.startsWith(metaContentSecurityPolicy)).toBe(true);
  });

  it('remembers size and position, and ignores a corrupt state file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapple-win-'));
    expect(loadWindowState(dir)).toEqual({ width: 1280, height: 820, maximized: false });
    saveWindowState(dir, { x: 40, y: 50, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(dir)).toEqual({
      x: 40,
      y: 50,
      width: 1000,
      height: 700,
      maximized: true,
    });
    fs.writeFileSync(path.join(dir, 'window-state.json'), '{"width": -5');
    expect(loadWindowState(dir).width).toBe(1280);
  });
});
