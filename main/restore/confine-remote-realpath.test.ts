// A host whose realpath cannot say where a drill's bytes land refuses the drill with the host's own
// error: a BusyBox-like realpath without -z, one that fails without a word, one that resolves every
// path yet exits non-zero, one that ignores -z, one with a very long complaint. A real OpenSSH sshd
// runs a realpath script of ours first on its PATH, told which of these to be by a file.
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostWorkspace,
  isolatedSsh,
  MAPPED,
  trustMappedHost,
} from '../../test-support/host-workspace';
import { requireProgram } from '../../test-support/programs';
import { startSshd, type TestSshd } from '../../test-support/sshd';
import { makeTempDir } from '../../test-support/temp';
import { sharedSshPool } from '../catalog/backends/ssh-pool';
import type { Workspace } from '../workspace/types';
import { remoteConfinementProblem } from './confine-remote';

const LONG = 'x'.repeat(300);

describe('a host whose realpath cannot say where the bytes land', () => {
  const temp = makeTempDir('confine-realpath');
  const root = realpathSync(temp.path);
  const bin = join(root, 'bin');
  const mode = join(root, 'realpath-mode');
  let sshd: TestSshd;
  let ws: Workspace;
  const ssh = () => isolatedSsh(root);
  const sandbox = join(root, 'scratch');
  const production = join(root, 'prod');

  beforeAll(async () => {
    mkdirSync(bin);
    const real = requireProgram('realpath', 'coreutils');
    writeFileSync(
      join(bin, 'realpath'),
      [
        '#!/bin/sh',
        `case "$(cat ${mode})" in`,
        `  busybox) printf 'realpath: unrecognized option: z\\nBusyBox v1.36.1 multi-call binary.\\n' >&2; exit 1 ;;`,
        '  mute) exit 3 ;;',
        `  denied) ${real} "$@"; echo "realpath: $4: Permission denied" >&2; exit 1 ;;`,
        `  lines) shift 3; exec ${real} -m -- "$@" ;;`,
        `  long) echo 'realpath: ${LONG}' >&2; exit 1 ;;`,
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    sshd = await startSshd([`SetEnv PATH=${bin}:/usr/bin:/bin`]);
    trustMappedHost(root, sshd);
    ws = await hostWorkspace(
      join(root, 'ws'),
      {
        lab: { host: MAPPED, port: sshd.port, user: sshd.user, identityFile: sshd.clientKeyPath },
        prod: { host: '127.0.0.1', port: sshd.port, user: sshd.user },
      },
      { 'prod-host': { environment: 'production', backend: 'prod', path: production } },
    );
  }, 60_000);
  afterAll(async () => {
    await sharedSshPool.closeAll();
    await sshd?.stop();
    temp.remove();
  });

  /** What the drill is told when the host's realpath behaves as `how`. */
  async function refusal(how: string) {
    writeFileSync(mode, how);
    const place = { kind: 'host', backend: 'lab', path: sandbox } as const;
    return remoteConfinementProblem(ws, place, 'drill', ssh());
  }
  const failed = (why: string) =>
    `a drill writes next to production on [${MAPPED}]:${sshd.port} only where that host can say where the bytes land, and resolving ${sandbox} there failed (${why})`;

  it("refuses with the host's own error when its realpath knows no -z", async () => {
    expect(await refusal('busybox')).toBe(
      failed('realpath: unrecognized option: z\nBusyBox v1.36.1 multi-call binary.'),
    );
  }, 30_000);

  it('refuses with the exit status when realpath fails without a word', async () => {
    expect(await refusal('mute')).toBe(failed('realpath exited with 3'));
  }, 30_000);

  it('refuses when realpath printed every path but still failed', async () => {
    expect(await refusal('denied')).toBe(failed(`realpath: ${sandbox}: Permission denied`));
  }, 30_000);

  it('refuses when realpath succeeded but did not answer one path per path asked', async () => {
    expect(await refusal('lines')).toBe(failed('realpath exited with 0'));
  }, 30_000);

  it("keeps the first 200 characters of the host's complaint", async () => {
    expect(await refusal('long')).toBe(failed(`realpath: ${LONG}`.slice(0, 200)));
  }, 30_000);
});
