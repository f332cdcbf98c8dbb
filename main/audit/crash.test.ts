// kill -9 in the middle of a busy session: every append reported written is in the log, the
// prefix verifies, and at worst the last line is torn.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { keyPairFromSeed, keySigner, privateSeed } from './keys';
import { tempDir, person, trustOf } from './test-helpers';
import { verifyLog } from './verify';
import { resumeLog } from './writer';

const child = `
import { keyPairFromSeed, keySigner } from './keys';
import { createLog } from './writer';
const [file, seed, policy] = process.argv.slice(2);
const signer = keySigner(keyPairFromSeed(Buffer.from(seed, 'hex')), 'Alice Operator');
const open = { workspace: 'w', runbook: { name: 'r', path: 'r.yaml', sha256: 'a'.repeat(64), rtoSeconds: null, steps: [] }, mode: 'drill', target: null, host: 'h', appVersion: '0' };
void (async () => {
  const w = await createLog({ file, signer, fsync: policy, checkpoint: null }, open);
  for (let i = 0; ; i++) {
    // Several appends in flight at once, as output arrives; report each once it is durable.
    await Promise.all([0, 1, 2, 3].map((k) => w.output('c1', 'stdout', Buffer.from('chunk ' + i + '.' + k + ' ' + 'x'.repeat(300) + '\\n')).then((r) => process.stdout.write(r.payload.seq + '\\n'))));
  }
})();
`;

describe('a writer killed with SIGKILL', () => {
  it.each(['every', 'batch'] as const)(
    'fsync %s: the log keeps every acknowledged record and verifies up to its end',
    async (policy) => {
      const dir = tempDir();
      const bundle = path.join(dir, 'child.cjs');
      // Bundled from text next to this file, so the child runs the real writer.
      await build({
        stdin: { contents: child, resolveDir: __dirname, loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        packages: 'external',
        outfile: bundle,
        logLevel: 'silent',
      });
      const alice = person('Alice Operator');
      const seed = privateSeed(alice.pair.privateKey).toString('hex');
      const file = path.join(dir, 'session.jsonl');
      const proc = spawn(process.execPath, [bundle, file, seed, policy], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let acknowledged = -1;
      await new Promise<void>((resolve) => {
        let buffered = '';
        proc.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const done = buffered.split('\n');
          buffered = done.pop() ?? '';
          for (const seq of done) acknowledged = Math.max(acknowledged, Number(seq));
          if (acknowledged >= 150 && proc.exitCode === null && !proc.killed) {
            proc.kill('SIGKILL');
            resolve();
          }
        });
      });
      await new Promise((resolve) => proc.once('exit', resolve));
      const report = await verifyLog(file, { trusted: trustOf(alice) });
      expect(['UNSEALED', 'TORN_TAIL']).toContain(report.verdict);
      expect(report.records).toBeGreaterThan(acknowledged);
      // And the session can carry on in the same log.
      const { writer } = await resumeLog({
        file,
        signer: keySigner(keyPairFromSeed(Buffer.from(seed, 'hex')), 'Alice Operator'),
      });
      await writer.seal('aborted');
      expect(await verifyLog(file, { trusted: trustOf(alice) })).toMatchObject({
        verdict: 'VALID',
        sealed: true,
      });
    },
  );
});
