// The recorded t2 facts, read back by the verify helpers themselves (--print) while the shop is
// at t2: the digest, hashes and key names the harness computed must be what the checks compute,
// or a correct restore would fail its verify steps later.
import { join } from 'node:path';
import { runCommand } from '../process';
import type { T2Facts } from './history';

/** Where the checks read the shop now. */
export type FactsPlaces = {
  dbPort: number;
  endpoint: string;
  bucket: string;
  app: string;
  env: NodeJS.ProcessEnv;
};

const printed = async (script: string, args: string[], env: NodeJS.ProcessEnv): Promise<unknown> =>
  JSON.parse(
    await runCommand(process.execPath, [join(__dirname, 'checks', script), ...args, '--print'], {
      env,
    }),
  );

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Throw, naming the part, when a check reads the shop differently from the recorded facts. */
export async function confirmFacts(facts: T2Facts, at: FactsPlaces): Promise<void> {
  const [orders, objects, files] = await Promise.all([
    printed('check-db.mjs', ['--port', String(at.dbPort)], at.env),
    printed('check-uploads.mjs', ['--endpoint', at.endpoint, '--bucket', at.bucket], at.env),
    printed('check-files.mjs', [at.app], at.env),
  ]);
  const sorted = (o: unknown) => Object.fromEntries(Object.entries(o as object).sort());
  const wrong = [
    same(orders, facts.orders)
      ? null
      : `orders: checks read ${JSON.stringify(orders)}, recorded ${JSON.stringify(facts.orders)}`,
    same(sorted(objects), sorted(facts.uploads.objects))
      ? null
      : 'uploads: the checks read other keys or hashes',
    same(sorted(files), sorted(facts.files))
      ? null
      : 'files: the checks read other paths or hashes',
  ].filter((x): x is string => x !== null);
  if (wrong.length > 0)
    throw new Error(`the recorded t2 facts disagree with the verify helpers: ${wrong.join('; ')}`);
}
