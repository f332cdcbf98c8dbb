// Timeline calls take turns: the next one starts once the answer before it has left, or after a
// bounded wait when that answer never finishes.
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { takeTurn } from './in-turn';

/** A response whose last bytes leave when `finish` is called. */
const response = () => {
  const res = Object.assign(new EventEmitter(), { writableFinished: false, destroyed: false });
  return {
    res: res as unknown as http.ServerResponse,
    finish: () => {
      res.writableFinished = true;
      res.emit('finish');
    },
  };
};

describe('takeTurn', () => {
  it('starts a call once the answer before it has left', async () => {
    const order: string[] = [];
    const first = takeTurn();
    const second = takeTurn();
    await first.ready;
    order.push('first runs');
    const sent = response();
    first.leave(sent.res);
    const started = second.ready.then(() => order.push('second runs'));
    await new Promise((resolve) => setImmediate(resolve));
    order.push('first leaves');
    sent.finish();
    await started;
    expect(order).toEqual(['first runs', 'first leaves', 'second runs']);
    const last = response();
    second.leave(last.res);
    last.finish();
  });

  it('does not wait for ever on an answer that never leaves', async () => {
    const stuck = takeTurn();
    await stuck.ready;
    stuck.leave(response().res);
    const next = takeTurn();
    const t = performance.now();
    await next.ready;
    expect(performance.now() - t).toBeGreaterThanOrEqual(200);
    const done = response();
    next.leave(done.res);
    done.finish();
  });
});
