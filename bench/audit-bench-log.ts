// Builds a large, valid audit log quickly (sign in memory, one write) for the verify benchmark.
import { promises as fs } from 'node:fs';
import { canonicalize } from '../main/audit/canonical-json';
import { encodeLine, GENESIS_PREV, sha256Hex, type Payload } from '../main/audit/records';
import type { Signer } from '../main/audit/keys';

/** Write a sealed log of `count` records with a realistic mix of record types. */
export async function writeBenchLog(file: string, count: number, signer: Signer): Promise<void> {
  const log = 'b'.repeat(32);
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  let prev = GENESIS_PREV;
  const out: string[] = [];
  const text = 'restored file 0042 of 9000: /srv/shop/uploads/img-0042.jpg (183 kB)\n';
  const chunk = {
    cmd: 'c1',
    stream: 'stdout',
    bytes: Buffer.byteLength(text),
    sha256: sha256Hex(text),
    text,
  };
  for (let seq = 0; seq < count; seq++) {
    const last = seq === count - 1;
    let type: Payload['type'] =
      seq === 0 ? 'open' : last ? 'seal' : seq % 1000 === 0 ? 'checkpoint' : 'output';
    let data: Payload['data'] = chunk;
    if (type === 'open') {
      const steps = [{ id: 'copy', title: 'Copy', kind: 'local' }];
      const runbook = {
        name: 'bench',
        path: 'runbooks/bench.yaml',
        sha256: 'a'.repeat(64),
        rtoSeconds: 3600,
        steps,
      };
      data = {
        workspace: 'bench',
        runbook,
        mode: 'drill',
        target: null,
        operator: { name: signer.name, keyId: signer.keyId },
        host: 'bench',
        appVersion: '0.1.0',
        anchor: null,
      };
    } else if (type === 'checkpoint' || type === 'seal') {
      data = {
        count: seq,
        head: prev,
        anchored: [],
        ...(type === 'seal' ? { reason: 'completed' } : {}),
      };
    } else if (seq % 100 === 1) {
      type = 'note';
      data = { step: null, text: `progress ${seq}` };
    }
    const payload: Payload = {
      v: 1,
      log,
      seq,
      ts: new Date(start + seq).toISOString(),
      type,
      actor: signer.name,
      prev,
      data,
    };
    const body = canonicalize(payload);
    const bytes = Buffer.from(body, 'utf8');
    out.push(encodeLine(body, await signer.sign(bytes), signer.keyId));
    prev = sha256Hex(bytes);
  }
  await fs.writeFile(file, `${out.join('\n')}\n`);
}
