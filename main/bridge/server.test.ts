// Bridge tests: only our page, on our loopback address, with our token, gets through.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from './server';

let bridge: Bridge;
let rendererDir: string;

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

function request(options: {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const call = (name: string, body: unknown, headers: Record<string, string> = {}) =>
  request({
    path: `/api/call/${name}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dapple-token': bridge.token, ...headers },
    body: JSON.stringify(body),
  });

/** Subscribe to /api/events and return the first event frame; `onConnected` runs once subscribed. */
function firstEvent(onConnected?: () => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: '/api/events',
        headers: { 'x-dapple-token': bridge.token },
      },
      (res) => {
        res.setEncoding('utf8');
        let buffer = '';
        let connected = false;
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (!connected && buffer.startsWith(': connected')) {
            connected = true;
            onConnected?.();
          }
          const data = /data: (.*)\n\n/.exec(buffer);
          if (data?.[1]) {
            resolve(JSON.parse(data[1]));
            req.destroy();
          }
        });
      },
    );
    req.on('error', reject);
  });
}

beforeAll(async () => {
  rendererDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dapple-renderer-'));
  await fs.writeFile(
    path.join(rendererDir, 'index.html'),
    '<html><head><!--transport--></head></html>',
  );
  await fs.writeFile(path.join(rendererDir, 'app.js'), 'console.log(1)');
  bridge = await startBridge({ port: 0, rendererDir, dataDir: rendererDir, version: 'test' });
});
afterAll(async () => bridge.close());

describe('the bridge', () => {
  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses a request without the token', async () => {
    const reply = await request({ path: '/' });
    expect(reply.status).toBe(401);
    expect(reply.body).toMatch(/token/);
    const api = await call('app.info', {}, { 'x-dapple-token': '' });
    expect(api.status).toBe(401);
  });

  it('refuses a wrong token of the same length', async () => {
    const wrong = bridge.token.replace(/./, (c) => (c === 'a' ? 'b' : 'a'));
    expect((await call('app.info', {}, { 'x-dapple-token': wrong })).status).toBe(401);
  });

  it('refuses a token of another length with 401, as any wrong token (not an error)', async () => {
    for (const wrong of [bridge.token.slice(0, -1), `${bridge.token}x`, 'x', '🦆'.repeat(16)]) {
      const reply = await call('app.info', {}, { 'x-dapple-token': encodeURIComponent(wrong) });
      expect(reply.status, wrong).toBe(401);
      expect(reply.body).toMatch(/wrong access token/);
    }
    const page = await request({ path: `/?token=${bridge.token}a` });
    expect(page.status).toBe(401);
  });

  it('finds the token cookie among other cookies, wherever it stands', async () => {
    for (const cookie of [
      `theme=dark; dapple_token=${bridge.token}`,
      `a=1;dapple_token=${bridge.token}; b=2`,
      `dapple_token=${bridge.token}; theme=dark`,
    ]) {
      const reply = await request({ path: '/app.js', headers: { cookie } });
      expect(reply.status, cookie).toBe(200);
    }
    for (const cookie of [
      `theme=dark; dapple_token=${bridge.token}x`,
      `xdapple_token=${bridge.token}`,
      `dapple_token_old=${bridge.token}`,
      `dapple_token=${bridge.token.slice(0, 5)}=${bridge.token.slice(5)}`,
      'dapple_token=',
    ]) {
      const reply = await request({ path: '/app.js', headers: { cookie } });
      expect(reply.status, cookie).toBe(401);
    }
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const reply = await call('app.info', {}, { origin: 'http://evil.example' });
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('Requests from other web pages are refused.');
  });

  it('refuses another Host (DNS rebinding) even with the right token', async () => {
    for (const host of [`evil.example:${bridge.port}`, `localhost:${bridge.port}`, '127.0.0.1']) {
      const reply = await call('app.info', {}, { host });
      expect(reply.status, host).toBe(421);
      expect(reply.body).toContain(`This Dapple console answers only at 127.0.0.1:${bridge.port}.`);
    }
  });

  it('answers calls with the right token and our own Origin', async () => {
    const reply = await call('app.info', {}, { origin: `http://127.0.0.1:${bridge.port}` });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      ok: true,
      value: { version: 'test', transport: 'browser', platform: process.platform },
    });
  });

  it('gives a structured error for malformed JSON and unknown calls', async () => {
    const reply = await request({
      path: '/api/call/app.info',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dapple-token': bridge.token },
      body: '{not json',
    });
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(JSON.parse((await call('shell.exec', {})).body)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CALL' },
    });
  });

  it('serves the page with the transport script, a cookie and the CSP; the cookie then works', async () => {
    const page = await request({ path: `/?token=${bridge.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="./bridge-client.js"></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const cookie = String(page.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    expect(cookie).toMatch(/^dapple_token=/);
    expect(String(page.headers['set-cookie']?.[0])).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await request({ path: '/app.js', headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('does not serve files outside the renderer folder', async () => {
    const reply = await request({
      path: '/..%2f..%2fetc%2fpasswd',
      headers: { 'x-dapple-token': bridge.token },
    });
    expect(reply.status).toBe(404);
  });

  it('answers a malformed %-escape with a 400 sentence, never a 500', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%zz.js', '/api/call/%ff']) {
      const reply = await request({
        path,
        method: path.startsWith('/api/') ? 'POST' : 'GET',
        headers: { 'x-dapple-token': bridge.token, 'content-type': 'application/json' },
        ...(path.startsWith('/api/') ? { body: '{}' } : {}),
      });
      expect(reply.status, path).toBe(400);
      expect(reply.body).toMatch(/^The address has a malformed %-escape/);
    }
  });

  it('streams contract events to subscribers', async () => {
    const frame = await firstEvent(() => bridge.ctx.emit('menu.navigate', { section: 'audit' }));
    expect(frame).toEqual({ name: 'menu.navigate', payload: { section: 'audit' } });
  });

  it('sends the last catalog change to a page that subscribes after it (a first read can end before)', async () => {
    bridge.ctx.emit('catalog.changed', { asOf: '2026-12-04T20:00:00.000Z', sources: [] });
    const frame = await firstEvent();
    expect(frame).toEqual({
      name: 'catalog.changed',
      payload: { asOf: '2026-12-04T20:00:00.000Z', sources: [] },
    });
  });

  it('sends a question asked before the page subscribed as soon as it connects', async () => {
    const asked = bridge.ctx.prompts.askPassphrase({ host: 'db1', keyFile: '/k/id_ed25519' });
    const frame = (await firstEvent()) as {
      name: string;
      payload: { id: string; keyFile?: string };
    };
    expect(frame.name).toBe('prompt.show');
    expect(frame.payload.keyFile).toBe('/k/id_ed25519');
    bridge.ctx.prompts.answer({ id: frame.payload.id, passphrase: 'pw' });
    expect(await asked).toBe('pw');
  });
});
