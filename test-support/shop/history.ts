// The shop's history on the wall clock: orders, their uploads and the app's files written at t1
// and backed up (full, snapshot, versions); more at t2 (incr, second snapshot, new versions);
// late orders after the cut (what a restore to t2 loses); then the incident at t3. Every phase
// starts on a fresh whole second, because S3 and pgBackRest's --target keep whole seconds.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextSecond } from '../s3-history';
import type { BackupSet, ShopDb } from './db';
import { confirmFacts } from './facts';
import {
  hashFolder,
  removeFiles,
  writeFiles,
  type FileHashes,
  type ShopFiles,
  type Snapshot,
} from './files';
import type { ShopLayout } from './layout';
import { UPLOADS, type ObjectHashes, type ShopUploads } from './uploads';

/** An order row, as inserted. */
export type Order = {
  id: number;
  customer: string;
  amountCents: number;
  status: string;
  uploadKey: string;
};

/** What the shop looked like at t2, as verify steps and tests compare it. */
export type T2Facts = {
  t2: string;
  orders: { count: number; maxId: number; digest: string };
  /** Keys relative to the uploads prefix. */
  uploads: { bucket: string; prefix: string; objects: ObjectHashes };
  files: FileHashes;
};

/** The history as it happened. Times are ISO 8601 UTC. */
export type ShopHistory = {
  t1: { at: string; full: BackupSet; snapshot: Snapshot };
  /** `at`: every t2 write is done before it; the cut must fall in [t2.at, late.at). */
  t2: { at: string; snapshot: Snapshot; incr: BackupSet; facts: T2Facts };
  /** Writes after the cut and before the incident: a restore to t2 must not bring them back. */
  late: { at: string; orderIds: number[]; keys: string[]; files: string[] };
  /** The incident: the table dropped, uploads deleted and overwritten, app files corrupted. */
  t3: { at: string; deletedKeys: string[]; overwrittenKeys: string[]; corruptedFiles: string[] };
  /** expected/t2.json (the facts) and expected/t2-files.sha256 (for sha256sum --check). */
  expectedFile: string;
  checksumFile: string;
};

const customers = [
  'ada',
  'bo',
  'cyd',
  'dee',
  'eli',
  'fay',
  'gus',
  'hal',
  'ivy',
  'jo',
  'kai',
  'lu',
  'mo',
];

function order(id: number, status = 'paid'): Order {
  // Orders 7, 17, 27… carry a scan whose name has a space; 23's has an accent and a plus.
  const uploadKey =
    id === 23
      ? `${id}/re\u00e7u+copy.pdf`
      : id % 10 === 7
        ? `${id}/scan 1.pdf`
        : `${id}/invoice.pdf`;
  return {
    id,
    customer: customers[id % customers.length] as string,
    amountCents: ((id * 7919) % 90_000) + 100,
    status,
    uploadKey,
  };
}

const pdf = (o: Order, edition: string) =>
  `%PDF-1.4\n% ${edition} for order #${o.id} of ${o.customer}: ${(o.amountCents / 100).toFixed(2)} EUR\n${'0'.repeat(200 + (o.id % 50) * 20)}\n%%EOF\n`;

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;
const insert = (orders: Order[]) =>
  `insert into orders (id, customer, amount_cents, status, upload_key) values ${orders
    .map(
      (o) =>
        `(${o.id}, ${sqlText(o.customer)}, ${o.amountCents}, ${sqlText(o.status)}, ${sqlText(o.uploadKey)})`,
    )
    .join(', ')}`;

/** The digest check-db.mjs computes, from the rows we wrote (md5 of id|customer|amount|status|key lines). */
export function ordersDigest(orders: Order[]): string {
  const lines = [...orders]
    .sort((a, b) => a.id - b.id)
    .map((o) => `${o.id}|${o.customer}|${o.amountCents}|${o.status}|${o.uploadKey}`);
  return createHash('md5').update(lines.join('\n')).digest('hex');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const APP_T1: Record<string, string> = {
  'config/app.yaml': 'shop:\n  currency: EUR\n  uploads: s3://uploads/orders/\n',
  'templates/invoice.html': '<h1>Invoice {{order.id}}</h1>\n',
  'templates/receipt.html': '<h1>Receipt {{order.id}}</h1>\n',
  'static/shop.css': 'body { font: 14px sans-serif; }\n',
  'static/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>\n',
  'bin/worker.sh': '#!/bin/sh\nexec shop-worker --queue orders\n',
};
const APP_T2: Record<string, string> = {
  'config/app.yaml': 'shop:\n  currency: EUR\n  uploads: s3://uploads/orders/\n  vat: 21\n',
  'templates/invoice.html': '<h1>Invoice {{order.id}}</h1>\n<p>VAT {{order.vat}}</p>\n',
  'static/new-logo.svg':
    '<svg xmlns="http://www.w3.org/2000/svg"><rect width="8" height="8"/></svg>\n',
  'static/fonts/Inter Regular.txt': 'a font, by name with a space\n',
};

/** Play t1, t2, the late writes and the incident; record t2's facts under layout.expected. */
export async function buildHistory(parts: {
  layout: ShopLayout;
  db: ShopDb;
  uploads: ShopUploads;
  files: ShopFiles;
  /** The group's tolerance in ms: late writes wait until the cut can no longer reach them. */
  toleranceMs: number;
  /** Filled with how long each phase took, in ms. */
  timings?: Record<string, number>;
  /** Environment of the verify helpers (moto's credentials), which read t2 back. */
  checkEnv: NodeJS.ProcessEnv;
  endpoint: string;
}): Promise<ShopHistory> {
  const { layout, db, uploads, files } = parts;
  let last = performance.now();
  const mark = (phase: string) => {
    const now = performance.now();
    if (parts.timings) parts.timings[phase] = Math.round(now - last);
    last = now;
  };
  const rows = new Map<number, Order>();
  const objects = new Map<string, string>();
  const putAll = (list: Order[], edition: string) =>
    inParallel(list, async (o) => {
      const body = pdf(o, edition);
      await uploads.put(UPLOADS.prefix + o.uploadKey, body);
      objects.set(o.uploadKey, sha256(body));
    });

  // t1: forty orders, their invoices, the app as first deployed; a full backup and a snapshot.
  await db.sql(`create table orders (id int primary key, customer text not null, amount_cents int not null,
    status text not null, upload_key text not null, created_at timestamptz not null default now())`);
  const first = Array.from({ length: 40 }, (_, i) => order(i + 1));
  await db.sql(insert(first));
  for (const o of first) rows.set(o.id, o);
  await putAll(first, 'invoice');
  writeFiles(layout.files.app, APP_T1);
  mark('t1 writes');
  const t1 = new Date(await nextSecond()).toISOString();
  const [full, snapshot1] = await Promise.all([db.backup('full'), files.snapshot()]);
  mark('t1 backups');

  // t2: twenty more orders, five shipped (their invoices re-rendered), an app release.
  const second = Array.from({ length: 20 }, (_, i) => order(i + 41));
  const shipped = [1, 2, 3, 4, 5].map((id) => ({ ...(rows.get(id) as Order), status: 'shipped' }));
  await db.sql(insert(second));
  await db.sql(
    `update orders set status = 'shipped' where id in (${shipped.map((o) => o.id).join(', ')})`,
  );
  for (const o of [...second, ...shipped]) rows.set(o.id, o);
  await putAll(second, 'invoice');
  await putAll(shipped, 'shipped invoice');
  writeFiles(layout.files.app, APP_T2);
  mark('t2 writes');
  const t2 = new Date(await nextSecond()).toISOString();
  const facts: T2Facts = {
    t2,
    orders: {
      count: rows.size,
      maxId: Math.max(...rows.keys()),
      digest: ordersDigest([...rows.values()]),
    },
    uploads: { bucket: UPLOADS.bucket, prefix: UPLOADS.prefix, objects: sortedRecord(objects) },
    files: hashFolder(layout.files.app),
  };
  const expectedFile = join(layout.expected, 't2.json');
  const checksumFile = join(layout.expected, 't2-files.sha256');
  writeFileSync(expectedFile, `${JSON.stringify(facts, null, 2)}\n`);
  writeFileSync(
    checksumFile,
    Object.entries(facts.files)
      .map(([path, hash]) => `${hash}  ${path}\n`)
      .join(''),
  );
  // The snapshot first: its time is the newest discrete point, so the cut meets it there.
  const [snapshot2] = await Promise.all([
    files.snapshot(),
    confirmFacts(facts, {
      dbPort: db.port,
      endpoint: parts.endpoint,
      bucket: `${UPLOADS.bucket}/${UPLOADS.prefix}`,
      app: layout.files.app,
      env: parts.checkEnv,
    }),
  ]);
  mark('t2 snapshot');
  const incr = await db.backup('incr');
  mark('t2 incr');

  // Late writes: only once no cut within the tolerance of the snapshot can reach them.
  const cutLimit = Date.parse(snapshot2.time) + parts.toleranceMs;
  while (Date.now() <= cutLimit) await new Promise((r) => setTimeout(r, cutLimit - Date.now() + 5));
  const late = new Date(await nextSecond()).toISOString();
  const third = Array.from({ length: 3 }, (_, i) => order(i + 61));
  await db.sql(insert(third));
  await putAll(third, 'invoice');
  writeFiles(layout.files.app, { 'static/late-banner.css': '.banner { color: red; }\n' });

  // t3, the incident: the orders table dropped, half the uploads deleted and a third of the
  // others overwritten with junk, app files overwritten, one deleted, a note left behind.
  mark('late writes');
  const t3 = new Date(await nextSecond()).toISOString();
  await db.sql('drop table orders');
  const keys = [...objects.keys()].sort();
  const deletedKeys = keys.filter((_, i) => i % 2 === 0).map((k) => UPLOADS.prefix + k);
  const overwrittenKeys = keys
    .filter((_, i) => i % 2 === 1 && i % 3 === 0)
    .map((k) => UPLOADS.prefix + k);
  await inParallel(deletedKeys, (key) => uploads.remove(key));
  await inParallel(overwrittenKeys, (key) =>
    uploads.put(key, `ENCRYPTED ${sha256(key)}`, 'application/octet-stream'),
  );
  const corruptedFiles = [
    'config/app.yaml',
    'templates/invoice.html',
    'static/logo.svg',
    'README-RESTORE-YOUR-FILES.txt',
  ];
  writeFiles(layout.files.app, {
    'config/app.yaml': '\u0000\u0001garbage',
    'templates/invoice.html': 'ENCRYPTED',
    'README-RESTORE-YOUR-FILES.txt': 'pay us\n',
  });
  removeFiles(layout.files.app, ['static/logo.svg']);
  mark('incident');
  // The WAL holding the drop reaches the repository, as it would on a live host.
  await db.archiveNow();
  mark('archive after incident');

  return {
    t1: { at: t1, full, snapshot: snapshot1 },
    t2: { at: t2, snapshot: snapshot2, incr, facts },
    late: {
      at: late,
      orderIds: third.map((o) => o.id),
      keys: third.map((o) => UPLOADS.prefix + o.uploadKey),
      files: ['static/late-banner.css'],
    },
    t3: { at: t3, deletedKeys, overwrittenKeys, corruptedFiles },
    expectedFile,
    checksumFile,
  };
}

/** Run work over items, eight at a time (moto answers a few requests at once well). */
async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

function sortedRecord(map: Map<string, string>): Record<string, string> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
