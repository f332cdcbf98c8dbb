#!/usr/bin/env node
// Verify step: the orders table of a restored cluster holds exactly the rows recorded at t2 (count,
// newest id, and a digest of every row), so a row from after t2 or a lost one fails the step.
//   check-db.mjs --port P --expect expected/t2.json [--host 127.0.0.1] [--database shop]
//   check-db.mjs --cluster DATADIR --ports FILE --expect …   (the port the db host's ports file gives it)
//   check-db.mjs --port P --print      (print the facts as recorded: what the harness stores)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fail, parseArgs, readFacts, verdict } from './args.mjs';

/** One line: count | newest id | md5 of the rows in id order (created_at left out: it is the clock's). */
export const FACTS_SQL = `select count(*) || '|' || coalesce(max(id), 0) || '|' ||
  md5(coalesce(string_agg(id || '|' || customer || '|' || amount_cents || '|' || status || '|' || upload_key, E'\\n' order by id), ''))
  from orders`;

const { flags } = parseArgs(process.argv.slice(2), [
  'port',
  'cluster',
  'ports',
  'expect',
  'host',
  'database',
]);
// --cluster DATADIR --ports FILE: the port the db host gives that data folder (its ports file).
const portOf = (cluster, file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .find(([dir]) => dir === cluster)?.[1];
const port =
  flags.get('port') ??
  (flags.get('cluster') && flags.get('ports')
    ? portOf(flags.get('cluster'), flags.get('ports'))
    : undefined);
if (!port || !/^\d+$/.test(port))
  fail('check-db: give --port, or --cluster DATADIR --ports FILE, the cluster to check');
const host = flags.get('host') ?? '127.0.0.1';
const database = flags.get('database') ?? 'shop';

let line;
try {
  line = execFileSync(
    '/usr/lib/postgresql/15/bin/psql',
    [
      '-h',
      host,
      '-p',
      port,
      '-U',
      'postgres',
      '-d',
      database,
      '-XAtq',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      FACTS_SQL,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
} catch (error) {
  const said = String(error.stderr ?? error.message).trim();
  console.error(
    `Could not read the orders table on ${host}:${port} (database ${database}): ${said}`,
  );
  process.exit(1);
}
const [count, maxId, digest] = line.split('|');
const actual = { count: Number(count), maxId: Number(maxId), digest };
if (flags.get('print')) {
  console.log(JSON.stringify(actual));
  process.exit(0);
}
const expectFile = flags.get('expect');
if (!expectFile) fail('check-db: give --expect FILE (the recorded facts) or --print');
const { t2: at, orders: expected } = readFacts(expectFile, 'orders');
const problems = [];
if (actual.count !== expected.count)
  problems.push(`orders has ${actual.count} rows; at ${at} it had ${expected.count}`);
if (actual.maxId !== expected.maxId)
  problems.push(`the newest order is #${actual.maxId}; at ${at} it was #${expected.maxId}`);
if (actual.digest !== expected.digest)
  problems.push(
    `the rows differ from those at ${at} (digest ${actual.digest} is not ${expected.digest})`,
  );
verdict(
  `orders on ${host}:${port} equals ${at}: ${actual.count} rows, newest #${actual.maxId}, digest ${actual.digest}.`,
  problems,
  `orders on ${host}:${port} is not as at ${at}`,
);
