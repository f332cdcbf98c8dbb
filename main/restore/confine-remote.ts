// Confinement on a remote host at write time, where the load-time check (lexical, no network) cannot
// see: a host reached under two names (db1.example and 10.0.0.5, localhost and 127.1) is one host
// when the addresses its names resolve to meet on the same port, and a sandbox path that is, on that
// host, a link into (or a parent of) a production path is found by resolving both there with one
// `realpath -m` over the pooled ssh connection (argv through the one quoting function).
import { lookup } from 'node:dns/promises';
import { isIPv6, SocketAddress } from 'node:net';
import { createSshBackend, SshRunner, type SshOptions } from '../catalog/backends/ssh';
import { sharedSshPool, type SshPool } from '../catalog/backends/ssh-pool';
import type { SessionMode } from '../../preload/schemas/session';
import { UserError } from '../ground/errors';
import type { RunbookPlan } from '../../preload/schemas/runbook';
import { assertConfined, boundTargets } from './confine';
import { targetWritePlace, THIS_MACHINE, type WritePlace } from '../workspace/places';
import type { BackendConfig, Workspace } from '../workspace/types';

type SshConfig = Extract<BackendConfig, { type: 'ssh' }>;

/** An ssh backend as the network sees it: the addresses its host name reaches, and the port. */
type Endpoint = { label: string; addresses: Set<string>; port: number; user: string };

// Every address of this machine (places.ts) is one host, however it is written (::1,
// 0:0:0:0:0:0:0:1, 127.0.0.2, ::ffff:7f00:1, 0.0.0.0); any other address is keyed in one spelling.
function addressKey(address: string): string {
  const family = isIPv6(address) ? 'ipv6' : 'ipv4';
  if (THIS_MACHINE.check(address, family)) return 'loopback';
  return new SocketAddress({ address, family }).address.replace(/^::ffff:(?=\d+\.)/, '');
}

/** The addresses a host name resolves to now; the name itself when it does not resolve. */
async function addressesOf(host: string): Promise<Set<string>> {
  try {
    const found = await lookup(host, { all: true });
    return new Set(found.map((a) => addressKey(a.address)));
  } catch {
    return new Set([host.toLowerCase().replace(/\.$/, '')]);
  }
}

async function endpointOf(config: SshConfig, options: SshOptions, pool: SshPool) {
  const { target } = createSshBackend(config, options, pool);
  const endpoint: Endpoint = {
    label: `${target.hostName.includes(':') ? `[${target.hostName}]` : target.hostName}:${target.port}`,
    addresses: await addressesOf(target.hostName),
    port: target.port,
    user: target.user,
  };
  return { endpoint, runner: new SshRunner(target, options, pool) };
}

const meets = (a: Endpoint, b: Endpoint): string | null => {
  if (a.port !== b.port) return null;
  for (const address of a.addresses) if (b.addresses.has(address)) return address;
  return null;
};

/** Whether `inner` lies below `outer` (equal paths are told apart before). */
const below = (inner: string, outer: string): boolean =>
  inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);

/** A production host target on the same host as the write, with its path as written. */
type Neighbour = { name: string; path: string; endpoint: Endpoint; via: string };

/**
 * Null when a drill may write at `place` as far as the host it is on can tell; else the sentence
 * that refuses it. Only host places of drills are looked at, and the host is asked only when a
 * production host target is on it; a path that cannot be resolved there is refused.
 */
export async function remoteConfinementProblem(
  workspace: Workspace,
  place: WritePlace,
  mode: SessionMode,
  options: SshOptions,
  pool: SshPool = sharedSshPool,
): Promise<string | null> {
  if (mode !== 'drill' || place.kind !== 'host') return null;
  const config = workspace.backends.get(place.backend);
  if (config?.type !== 'ssh') return null; // the sync check (confine.ts) refuses these
  const here = await endpointOf(config, options, pool);
  const neighbours: Neighbour[] = [];
  for (const target of workspace.targets.values()) {
    if (target.environment !== 'production') continue;
    const at = targetWritePlace(target);
    if (at.kind !== 'host') continue;
    const other = workspace.backends.get(at.backend);
    if (other?.type !== 'ssh') continue;
    const { endpoint } = await endpointOf(other, options, pool);
    const via = meets(here.endpoint, endpoint);
    if (via !== null) neighbours.push({ name: target.name, path: at.path, endpoint, via });
  }
  if (neighbours.length === 0) return null;

  const paths = [place.path, ...neighbours.map((n) => n.path)].map((p) => (p === '' ? '.' : p));
  const where = here.endpoint.label;
  let resolved: string[];
  try {
    const result = await here.runner.run(['realpath', '-m', '-z', '--', ...paths], {
      timeoutMs: 15_000,
    });
    resolved = result.stdout.toString('utf8').split('\0').slice(0, -1);
    if (result.code !== 0 || resolved.length !== paths.length)
      throw new Error(result.stderr.trim() || `realpath exited with ${result.code}`);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return `a drill writes next to production on ${where} only where that host can say where the bytes land, and resolving ${paths[0]} there failed (${why.slice(0, 200)})`;
  }
  const [mine = '', ...theirs] = resolved;
  for (const [i, n] of neighbours.entries()) {
    const real = theirs[i] ?? '';
    const how =
      mine === real
        ? 'is the same folder as'
        : below(mine, real)
          ? 'lies inside'
          : below(real, mine)
            ? 'contains'
            : null;
    if (how === null) continue;
    const host =
      n.endpoint.label === where
        ? where
        : `${n.endpoint.label}, the same host (both names reach ${n.via === 'loopback' ? 'this machine' : n.via})`;
    const theirWords = real === n.path ? real : `${n.path}, which resolves to ${real}`;
    const myWords = mine === place.path ? mine : `${paths[0]}, which resolves to ${mine} there`;
    return `a drill cannot write to ${myWords} on ${where}: it ${how} the production target ${n.name} (${theirWords} on ${host})`;
  }
  return null;
}

/** Throw the refusal (code WRITE_IN_PRODUCTION) when a drill's write on a host reaches production. */
export async function assertConfinedOnHost(
  workspace: Workspace,
  place: WritePlace,
  mode: SessionMode,
  what: string,
  options: SshOptions,
  pool: SshPool = sharedSshPool,
): Promise<void> {
  const problem = await remoteConfinementProblem(workspace, place, mode, options, pool);
  if (problem === null) return;
  throw new UserError(
    'WRITE_IN_PRODUCTION',
    `${what} was stopped before writing: ${problem}.`,
    'Bind the drill to a sandbox target that shares no folder with production on that host, whatever name reaches it.',
  );
}

/**
 * A drill's step, just before it writes: every target the plan binds is checked again by where its
 * bytes land now (a link may have been swapped in since the start), here and then on its host.
 */
export async function assertDrillConfined(
  ctx: { workspace: Workspace; plan: RunbookPlan; ssh: SshOptions },
  what: string,
): Promise<void> {
  const places = [];
  for (const name of boundTargets(ctx.plan)) {
    const target = ctx.workspace.targets.get(name);
    if (!target) continue;
    places.push(targetWritePlace(target));
    assertConfined(ctx.workspace, targetWritePlace(target), 'drill', what);
  }
  for (const place of places)
    await assertConfinedOnHost(ctx.workspace, place, 'drill', what, ctx.ssh);
}
