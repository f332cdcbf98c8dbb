// A workspace with a pre-written catalog cache of N points, for the catalog table benchmark.
// Ten services on three backends: chains (weekly full, daily diff, hourly incr) and snapshots,
// some locked, some verified, a few broken chains, tags and small raw records, like a real catalog.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFile, writeCache } from '../main/catalog/cache';
import type { RecoveryPoint, SourceStatus } from '../preload/schemas/catalog';

const SERVICES = 10;
const BACKENDS = ['nas', 'offsite', 'usb'];
const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-26T03:00:00Z');

function workspaceYaml(): string {
  const lines = ['name: bench', 'backends:'];
  for (const b of BACKENDS) lines.push(`  ${b}: { type: local, path: backups/${b} }`);
  lines.push('sources:');
  for (let s = 0; s < SERVICES; s++)
    lines.push(
      `  svc-${s}-nas: { type: manifest, backend: nas, path: svc-${s}, service: svc-${s} }`,
    );
  lines.push('services:');
  for (let s = 0; s < SERVICES; s++) lines.push(`  svc-${s}: { owner: oncall, rpo: 1h, rto: 1h }`);
  return `${lines.join('\n')}\n`;
}

function pointsOf(service: number, count: number): RecoveryPoint[] {
  const chained = service < 4;
  const source = `svc-${service}-nas`;
  const out: RecoveryPoint[] = [];
  for (let k = 0; k < count; k++) {
    const t = NOW - (count - k) * HOUR + service * 60_000;
    const id = `svc-${service}-${new Date(t).toISOString().replace(/[-:.]/g, '')}`;
    const kind = !chained ? 'snapshot' : k % 168 === 0 ? 'full' : k % 24 === 0 ? 'diff' : 'incr';
    // Every 5,000th incremental points at a pruned parent: a broken chain to show.
    const prev = out[out.length - 1]?.id ?? null;
    const parent =
      kind === 'full' || kind === 'snapshot' ? null : k % 5000 === 7 ? `${id}-pruned` : prev;
    const copies = BACKENDS.slice(0, 1 + ((k + service) % 3));
    const locked = (k + service) % 2 === 0;
    out.push({
      id,
      source,
      service: `svc-${service}`,
      time: new Date(t).toISOString(),
      endTime: null,
      kind,
      parent,
      sizeBytes: 1_000_000 + ((k * 7919) % 50_000_000),
      copies,
      immutable: locked
        ? {
            mode: service % 3 === 0 ? 'COMPLIANCE' : 'GOVERNANCE',
            retainUntil: new Date(t + 30 * 24 * HOUR).toISOString(),
            legalHold: false,
          }
        : null,
      lastVerified: k % 97 === 0 ? new Date(t + 2 * HOUR).toISOString() : null,
      tags: [`schedule:${kind === 'full' ? 'weekly' : 'hourly'}`, `host:db-${service % 4}`],
      raw: { file: `svc-${service}/${id}.json`, bytes: 1234, tool: 'bench' },
    });
  }
  return out;
}

/** Write the workspace (dapple.yaml and empty backend folders) and its catalog cache of `total` points. */
export async function makeBenchWorkspace(
  root: string,
  dataDir: string,
  total: number,
): Promise<{ bytes: number }> {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'dapple.yaml'), workspaceYaml());
  for (const b of BACKENDS) mkdirSync(join(root, 'backups', b), { recursive: true });
  const asOf = new Date(NOW).toISOString();
  const sections = Array.from({ length: SERVICES }, (_, s) => {
    const points = pointsOf(s, Math.floor(total / SERVICES) + (s < total % SERVICES ? 1 : 0));
    const status: SourceStatus = {
      source: `svc-${s}-nas`,
      state: 'ok',
      points: points.length,
      error: null,
      refreshedAt: asOf,
    };
    return { status, points };
  });
  const file = cacheFile(join(dataDir, 'catalog'), root);
  await writeCache(file, { workspace: root, name: 'bench', asOf }, sections);
  const { statSync } = await import('node:fs');
  return { bytes: statSync(file).size };
}
