// Browser mode: the built renderer and the same contract over HTTP (calls) and SSE (events),
// on 127.0.0.1 only, behind a random token. The renderer cannot tell it from Electron's IPC.
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { callChannel } from '../../preload/contract';
import type { EventName, EventPayload } from '../../preload/contract';
import { createContext, type AppContext } from '../api/context';
import { checkEvent, dispatch } from '../api/dispatch';
import { contentSecurityPolicy } from './csp';
import { encodeWithColumns } from './json';
import { newToken, refuse } from './guard';
import { takeTurn } from './in-turn';

const MAX_BODY = 1024 * 1024;
// Answers that carry frozen columns kept per catalog version: their JSON is spliced from text
// made once (json.ts; not for every call: the splicing walks every value of the answer). The
// timeline's calls also take turns (in-turn.ts).
const COLUMN_CALLS: ReadonlySet<string> = new Set(['groups.timeline', 'catalog.get']);
const TURN_CALLS: ReadonlySet<string> = new Set(['groups.timeline']);
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** A running bridge. */
const BAD_ESCAPE =
  'The address has a malformed %-escape (a % not followed by two hex digits of valid UTF-8): check the link, or reload the console.';

/** A %-decoded path, or null when its escapes are malformed (a 400, never a 500). */
function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export type Bridge = {
  url: string;
  port: number;
  token: string;
  ctx: AppContext;
  close(): Promise<void>;
};

const baseHeaders = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  type: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { ...baseHeaders, 'Content-Type': type, ...extra });
  res.end(body);
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

/** Start the bridge. `port` 0 picks a free one. */
export async function startBridge(options: {
  port: number;
  rendererDir: string;
  dataDir: string;
  version: string;
}): Promise<Bridge> {
  const token = newToken();
  const streams = new Set<http.ServerResponse>();
  const frameOf = <E extends EventName>(name: E, payload: EventPayload<E>): string | null => {
    const checked = checkEvent(name, payload);
    if (!checked.ok) {
      process.stderr.write(`dapple: dropped event ${name}: ${checked.reason}\n`);
      return null;
    }
    return `event: message\ndata: ${JSON.stringify({ name, payload: checked.payload })}\n\n`;
  };
  // The last catalog.changed, for a page that subscribes after it: a first catalog read often
  // ends before the page's event stream connects, and the console would wait on "Refreshing…".
  let lastCatalogChange: string | null = null;
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    const frame = frameOf(name, payload);
    if (frame && name === 'catalog.changed') lastCatalogChange = frame;
    if (frame) for (const stream of streams) stream.write(frame);
  };
  const ctx = createContext({
    version: options.version,
    transport: 'browser',
    dataDir: options.dataDir,
    emit,
  });
  let expected = { host: '', origin: '', token };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error', 'text/plain; charset=utf-8');
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', `http://${expected.host}`);
    const refused = refuse(req, url, expected);
    if (refused) return send(res, refused.status, refused.reason, 'text/plain; charset=utf-8');

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return send(res, 405, 'Use POST.', 'text/plain; charset=utf-8');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, 'Send JSON.', 'text/plain; charset=utf-8');
      }
      const name = decoded(url.pathname.slice('/api/call/'.length));
      if (name === null) return send(res, 400, BAD_ESCAPE, 'text/plain; charset=utf-8');
      let body: unknown;
      try {
        body = await readBody(req);
      } catch {
        const error = {
          code: 'BAD_REQUEST',
          message: 'The request body was not valid JSON under 1 MB.',
          hint: 'Reload the page.',
        };
        return send(res, 200, JSON.stringify({ ok: false, error }), 'application/json');
      }
      const answer = async (): Promise<string | Buffer> => {
        const value = await dispatch(name, body, ctx);
        return COLUMN_CALLS.has(name) ? encodeWithColumns(value) : JSON.stringify(value);
      };
      if (!TURN_CALLS.has(name)) return send(res, 200, await answer(), 'application/json');
      const turn = takeTurn();
      try {
        await turn.ready;
        send(res, 200, await answer(), 'application/json');
      } finally {
        turn.leave(res);
      }
      return undefined;
    }
    if (url.pathname === '/api/events') {
      res.writeHead(200, {
        ...baseHeaders,
        'Content-Type': 'text/event-stream',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      // A question asked before this page subscribed would otherwise wait unseen until a reload.
      for (const question of ctx.prompts.pending())
        res.write(frameOf('prompt.show', question) ?? '');
      if (lastCatalogChange) res.write(lastCatalogChange);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return undefined;
    }
    if (req.method !== 'GET') return send(res, 405, 'Use GET.', 'text/plain; charset=utf-8');
    return serveStatic(url, res);
  }

  async function serveStatic(url: URL, res: http.ServerResponse) {
    const wanted = url.pathname === '/' ? '/index.html' : decoded(url.pathname);
    if (wanted === null) return send(res, 400, BAD_ESCAPE, 'text/plain; charset=utf-8');
    const file = path.resolve(options.rendererDir, `.${wanted}`);
    if (!file.startsWith(path.resolve(options.rendererDir) + path.sep))
      return send(res, 404, 'Not found', 'text/plain');
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      if (wanted === '/index.html') {
        return send(
          res,
          500,
          'The console is not built: run `npm run build` first.',
          'text/plain; charset=utf-8',
        );
      }
      return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    }
    const extra: Record<string, string> = {};
    if (wanted === '/index.html') {
      // The browser-mode "preload": defines window.dapple over HTTP before the app starts.
      body = Buffer.from(
        body
          .toString('utf8')
          .replace('<!--transport-->', '<script src="./bridge-client.js"></script>'),
      );
      // The cookie lets the page's own requests (assets, calls, events) carry the token.
      extra['Set-Cookie'] = `dapple_token=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    return send(res, 200, body, types[path.extname(file)] ?? 'application/octet-stream', extra);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  expected = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, token };
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    ctx,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The path a call takes over HTTP (kept next to the IPC channel so both stay in step). */
export const httpCallPath = (name: Parameters<typeof callChannel>[0]): string =>
  `/api/call/${encodeURIComponent(name)}`;
