// A throttling storm for S3 tests. moto_server cannot throttle, so this tiny proxy on 127.0.0.1
// sits in front of it and answers some requests itself with what S3 says under load
// (HTTP 503, <Code>SlowDown</Code>); the rest pass through untouched.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy: its endpoint, how many requests it throttled, stop(). */
export type ThrottleProxy = {
  endpoint: string;
  throttled: () => number;
  passed: () => number;
  stop: () => Promise<void>;
};

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>throttle-proxy</RequestId></Error>';

/** Start a proxy to `target` that throttles the requests `throttle` picks (by method and order). */
export async function startThrottleProxy(
  target: string,
  throttle: (req: IncomingMessage, index: number) => boolean,
): Promise<ThrottleProxy> {
  const upstream = new URL(target);
  let index = 0;
  let throttled = 0;
  let passed = 0;
  const server: Server = createServer((req, res) => {
    if (throttle(req, index++)) {
      throttled++;
      req.resume();
      res.writeHead(503, {
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(SLOW_DOWN),
      });
      res.end(SLOW_DOWN);
      return;
    }
    passed++;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    throttled: () => throttled,
    passed: () => passed,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
