// Who may talk to the bridge: only a page we served, on the loopback address we serve, with the token.
import crypto from 'node:crypto';
import type http from 'node:http';

/** A random access token for one bridge run. */
export const newToken = (): string => crypto.randomBytes(24).toString('base64url');

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

const cookieToken = (header: string | undefined): string | null => {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'dapple_token') return v.join('=');
  }
  return null;
};

/** Why a request is refused, or null when it may pass. Checks Host, Origin and token, in that order. */
export function refuse(
  req: http.IncomingMessage,
  url: URL,
  expected: { host: string; origin: string; token: string },
): { status: number; reason: string } | null {
  // DNS rebinding: a hostile name that resolves to 127.0.0.1 still carries its own Host header.
  if (req.headers.host !== expected.host) {
    return { status: 421, reason: `This Dapple console answers only at ${expected.host}.` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== expected.origin) {
    return { status: 403, reason: 'Requests from other web pages are refused.' };
  }
  const offered =
    url.searchParams.get('token') ??
    (req.headers['x-dapple-token'] as string | undefined) ??
    cookieToken(req.headers.cookie);
  if (!offered || !sameSecret(offered, expected.token)) {
    return {
      status: 401,
      reason: 'Missing or wrong access token: open the URL that `dapple serve` printed.',
    };
  }
  return null;
}
