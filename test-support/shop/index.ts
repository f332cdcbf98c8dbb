// startShop(): the shop of issue 14, for real, on 127.0.0.1 — a PostgreSQL 15 cluster backed up by
// pgBackRest on a db host reached over the test sshd (through a link a test can cut), an uploads
// bucket in moto_server with versioning and Object Lock, the app's files backed up by restic into
// a repository reached over SFTP; sandbox and production targets; a generated workspace with an
// operator and an approver on two "machines". buildHistory() then plays t1, t2 and the incident.
import { join } from 'node:path';
import { parseDuration } from '../../main/workspace/duration';
import { startMoto, type Moto } from '../moto';
import { startSshd, type TestSshd } from '../sshd';
import { makeTempDir } from '../temp';
import { startShopDb, type ShopDb } from './db';
import { startShopFiles, type ShopFiles } from './files';
import { buildHistory, type ShopHistory } from './history';
import { startDbLink, type DbLink } from './link';
import { makeFolders, shopLayout, type ShopLayout } from './layout';
import { makeMachine, writeTrust, type Machine } from './machines';
import { startShopUploads, type ShopUploads } from './uploads';
import { shopVariants, type ShopVariants } from './variants';
import { cloneWorkspace, TARGETS, writeWorkspace } from './workspace';

export type { ShopHistory, T2Facts } from './history';
export { TARGETS } from './workspace';
export { UPLOADS } from './uploads';

/** A running shop. */
export type Shop = {
  layout: ShopLayout;
  /** The generated workspace folder (a git repository). */
  workspace: string;
  sshd: TestSshd;
  moto: Moto;
  db: ShopDb;
  uploads: ShopUploads;
  files: ShopFiles;
  /** The network between the console and the db host (the workspace's db-host backend uses it). */
  link: DbLink;
  /** The operator (runs the console) and the approver (answers with dapple approve). */
  operator: Machine;
  approver: Machine;
  targets: typeof TARGETS;
  /** The group's tolerated skew as dapple.yaml writes it, and in ms. */
  tolerance: { text: string; ms: number };
  /** The environment for a `dapple` process run as this person (default: the operator). */
  env: (machine?: Machine) => NodeJS.ProcessEnv;
  /** Play the history (once): t1, t2, late writes, the incident; t2's facts recorded. */
  buildHistory: () => Promise<ShopHistory>;
  variants: ShopVariants;
  /** How long each part of startShop took, in ms. */
  timings: Record<string, number>;
  stop: () => Promise<void>;
};

/** Options: the group's tolerance (a short one, so the cut cannot reach the late writes). */
export type ShopOptions = { tolerance?: string };

async function timed<T>(
  timings: Record<string, number>,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const t0 = performance.now();
  const value = await work();
  timings[name] = Math.round(performance.now() - t0);
  return value;
}

/** Start every part of the shop and write its workspace. stop() ends and removes all of it. */
export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const timings: Record<string, number> = {};
  const started = performance.now();
  const temp = makeTempDir('shop', 0o755);
  const layout = shopLayout(temp.path);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    temp.remove();
  };
  try {
    makeFolders(layout);
    const keep = <T extends { stop: () => Promise<void> }>(part: T): T => {
      stops.push(part.stop);
      return part;
    };
    // Each part starts as soon as what it needs is up: restic's repository waits only for sshd.
    const sshdUp = timed(timings, 'sshd', async () => keep(await startSshd()));
    const motoUp = timed(timings, 'moto', async () => keep(await startMoto()));
    const parts = [
      sshdUp,
      motoUp,
      timed(timings, 'postgres', async () => keep(await startShopDb(layout))),
      sshdUp.then(async (s) => keep(await startDbLink(s.port))),
      sshdUp.then((s) => timed(timings, 'restic', () => startShopFiles(layout, s))),
      motoUp.then((m) => timed(timings, 'buckets', () => startShopUploads(m))),
      makeMachine(layout.machines.operator, 'olivia', layout.workspace),
      makeMachine(layout.machines.approver, 'arjun', join(layout.machines.approver, 'workspace')),
    ] as const;
    // Every part settles before a failure is thrown, so stop() reaches all that started.
    const failed = (await Promise.allSettled(parts)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [sshd, moto, db, link, files, uploads, operator, approver] = await Promise.all(parts);
    const tolerance = options.tolerance ?? '2s';
    const toleranceMs = (parseDuration(tolerance) ?? NaN) * 1000;
    if (!Number.isFinite(toleranceMs)) throw new Error(`tolerance ${tolerance} is not a duration`);
    await timed(timings, 'workspace', async () => {
      const from = new Date(Date.now() - 60_000).toISOString();
      writeTrust(layout.workspace, [operator.trust(from), approver.trust(from)]);
      await writeWorkspace({
        layout,
        sshd,
        dbPort: link.port,
        motoEndpoint: moto.endpoint,
        resticRepository: files.repository,
        pgPort: db.port,
        sandboxPort: db.sandboxPort,
        tolerance,
        approver: approver.name,
      });
      await cloneWorkspace(layout.workspace, approver.workspace);
    });
    timings.startShop = Math.round(performance.now() - started);
    const env = (machine: Machine = operator): NodeJS.ProcessEnv => {
      const base: NodeJS.ProcessEnv = {};
      // Nothing of the person running the tests: their agent, AWS profile or ssh config.
      for (const [name, value] of Object.entries(process.env))
        if (!/^(SSH_AUTH_SOCK|SSH_AGENT_PID|AWS_.*|DAPPLE_.*)$/.test(name)) base[name] = value;
      return {
        ...base,
        ...machine.env,
        PATH: files.env.PATH,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
    };
    let history: Promise<ShopHistory> | null = null;
    return {
      layout,
      workspace: layout.workspace,
      sshd,
      moto,
      db,
      uploads,
      files,
      link,
      operator,
      approver,
      targets: TARGETS,
      tolerance: { text: tolerance, ms: toleranceMs },
      env,
      buildHistory: () =>
        (history ??= timed(timings, 'history', () =>
          buildHistory({
            layout,
            db,
            uploads,
            files,
            toleranceMs,
            timings,
            checkEnv: env(),
            endpoint: moto.endpoint,
          }),
        )),
      variants: shopVariants(layout, db),
      timings,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
