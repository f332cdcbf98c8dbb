// Calls that only compute over the catalog (the timeline's) take turns: each starts once the
// answer before it has left main, or after MAX_WAIT_MS. Main has one thread: while it worked on
// the cuts, the last megabytes of the lanes' answer waited in its socket, and the page could not
// draw the lanes until the cuts were done.
import type http from 'node:http';

const MAX_WAIT_MS = 250;
let last: Promise<void> = Promise.resolve();

/** A place in the queue: wait for `ready`, then call `leave` with the response once it is sent. */
export function takeTurn(): { ready: Promise<void>; leave: (res: http.ServerResponse) => void } {
  const before = last;
  let release = (): void => {};
  const gone = new Promise<void>((resolve) => (release = resolve));
  last = gone;
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, MAX_WAIT_MS);
    timer.unref();
  });
  const ready = Promise.race([before, waited]).finally(() => clearTimeout(timer));
  const leave = (res: http.ServerResponse): void => {
    if (res.writableFinished || res.destroyed) release();
    else {
      res.once('finish', release);
      res.once('close', release);
    }
  };
  return { ready, leave };
}
