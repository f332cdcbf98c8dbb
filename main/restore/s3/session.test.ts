// S3 steps inside sessions, through the API a console (or a hostile page with the token) calls:
// a drill copies a prefix as at T into a sandbox bucket and verifies it; a rehearsal lists the
// blast radius and writes nothing; a drill aimed at production is refused; a live restore in
// place needs the typed name. Every log verifies VALID.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionAction } from '../../../preload/schemas/session';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../../../test-support/moto';
import {
  allVersionIds,
  currentState,
  makeBucket,
  makeHistory,
  type History,
} from '../../../test-support/s3-history';
import { createContext, type AppContext } from '../../api/context';
import { activeSession, sessionHandlers } from '../../api/handlers/session';
import { openWorkspace } from '../../api/handlers/workspace';
import { fileKeyStore } from '../../audit/key-store';
import { loadTrust } from '../../audit/trust';
import { verifyLogDetailed } from '../../audit/verify';
import { stateDifferences } from './test-setup';

const RUNBOOK = `# yaml-language-server: $schema=../../schemas/runbook.schema.json
title: Restore media
version: 1
params:
  at: { type: instant, description: The instant to restore to. }
  target: { type: target, kind: bucket, default: media-sandbox }
steps:
  - id: put-back
    kind: s3
    title: Materialise the media prefix as at the instant
    destructive: true
    target: target
    s3: { action: copy, bucket: media, prefix: img/, to: '{{target}}', at: '{{at}}', concurrency: 8 }
  - id: check
    kind: verify
    title: The copy lists what the prefix listed then
    s3: { action: prefix-equals-instant, bucket: media, prefix: img/, to: '{{target}}', at: '{{at}}' }
`;

const IN_PLACE = `title: Restore media in place
version: 1
params:
  at: { type: instant }
  target: { type: target, kind: bucket, default: media-prod }
steps:
  - id: put-back
    kind: s3
    title: Put the media prefix back as at the instant
    destructive: true
    target: target
    s3: { action: restore-to-instant, bucket: '{{target}}', at: '{{at}}' }
  - id: check
    kind: verify
    title: The prefix lists what it listed then
    s3: { action: prefix-equals-instant, bucket: '{{target}}', at: '{{at}}' }
`;

describe('S3 steps in sessions (engine and API)', () => {
  let moto: Moto;
  let s3: S3Client;
  let history: History;
  let dir: string;
  let data: string;
  let ctx: AppContext;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    moto = await startMoto();
    s3 = moto.client();
    // The workspace's s3 backend finds credentials the way users have them: here, the environment.
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    await makeBucket(s3, 'media');
    await makeBucket(s3, 'sandbox');
    history = await makeHistory(s3, 'media', 'img/', { keys: 60 });
  }, 120_000);
  afterAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    await moto?.stop();
  });

  async function open(): Promise<void> {
    dir = await mkdtemp(join(tmpdir(), 'dapple-s3-ws-'));
    data = await mkdtemp(join(tmpdir(), 'dapple-s3-data-'));
    await mkdir(join(dir, 'runbooks'));
    await mkdir(join(dir, 'keys'));
    await writeFile(
      join(dir, 'dapple.yaml'),
      `name: media
backends:
  archive: { type: s3, endpoint: '${moto.endpoint}', region: us-east-1 }
sources:
  media-versions: { type: s3-versions, backend: archive, bucket: media, prefix: img/, service: media }
services:
  media: { owner: web-oncall, rpo: 1h, rto: 1h }
targets:
  media-prod: { kind: bucket, environment: production, backend: archive, path: media/img/ }
  media-sandbox: { kind: bucket, environment: sandbox, backend: archive, path: sandbox/drill/ }
`,
    );
    await writeFile(join(dir, 'keys', 'trusted.json'), '{"v":1,"keys":[]}\n');
    await writeFile(join(dir, 'runbooks', 'media.yaml'), RUNBOOK);
    await writeFile(join(dir, 'runbooks', 'in-place.yaml'), IN_PLACE);
    ctx = createContext({
      version: 'test',
      transport: 'browser',
      dataDir: data,
      emit: () => undefined,
      operatorKeys: async () => fileKeyStore(join(data, 'keys', 'operator.key'), 'operator pass'),
    });
    await openWorkspace(dir, ctx);
    await sessionHandlers['session.trustOperator']({}, ctx);
  }
  afterEach(async () => {
    await activeSession(ctx)?.idle();
    await rm(dir, { recursive: true, force: true });
    await rm(data, { recursive: true, force: true });
  });

  const start = (mode: 'drill' | 'rehearsal' | 'live', file = 'runbooks/media.yaml') =>
    sessionHandlers['session.start'](
      { file, cut: null, mode, params: { at: history.at.toISOString() } },
      ctx,
    );
  async function act(action: SessionAction) {
    const session = activeSession(ctx);
    if (!session) throw new Error('no session');
    await sessionHandlers['session.act']({ id: session.id, action }, ctx);
    await session.idle();
    return session.view();
  }
  const verdict = async (file: string) =>
    (await verifyLogDetailed(file, { trusted: await loadTrust(join(dir, 'keys', 'trusted.json')) }))
      .report.verdict;

  it('runs a drill: copy into the sandbox bucket with its blast radius and progress, then the check; VALID log', async () => {
    await open();
    const started = await start('drill');
    expect(started.plan.steps[0]?.s3).toMatchObject({
      action: 'copy',
      to: { bucket: 'sandbox', prefix: 'drill/' },
    });
    await act({ type: 'confirm', step: 'put-back', typed: 'media-sandbox' });
    const ran = await act({ type: 'run', step: 'put-back' });
    const step = ran.state.steps.find((s) => s.id === 'put-back');
    expect(step?.state).toBe('done');
    expect(step?.blastRadius?.create.count).toBe(history.expected.size);
    expect(step?.progress).toMatchObject({
      unit: 'objects',
      done: history.expected.size,
      total: history.expected.size,
    });
    const cmd = ran.state.commands[0];
    expect(cmd?.argv).toEqual([
      's3',
      'copy',
      's3://media/img/',
      '--at',
      history.at.toISOString(),
      '--to',
      's3://sandbox/drill/',
    ]);
    expect(cmd?.output.map((o) => o.text).join('')).toContain(`${history.expected.size} keys (`);
    const checked = await act({ type: 'run', step: 'check' });
    expect(checked.state.sealed).toBe(true);
    expect(checked.state.outcome).toBe('completed');
    expect(
      stateDifferences(await currentState(s3, 'sandbox', 'drill/'), history.expected, (k) =>
        k.replace(/^img\//, 'drill/'),
      ),
    ).toEqual([]);
    expect(await verdict(checked.logPath)).toBe('VALID');
  });

  it('rehearses: the blast radius is listed and recorded, nothing is written', async () => {
    await open();
    const before = await allVersionIds(s3, 'media', 'img/');
    await start('rehearsal', 'runbooks/in-place.yaml');
    await act({ type: 'confirm', step: 'put-back', typed: 'media-prod' });
    const after = await act({ type: 'run', step: 'put-back' });
    const step = after.state.steps.find((s) => s.id === 'put-back');
    expect(step?.state).toBe('skipped');
    expect(step?.blastRadius?.overwrite.count).toBeGreaterThan(0);
    expect(after.state.commands).toEqual([]);
    expect(after.state.notes.map((n) => n.text).join('\n')).toContain(
      'rehearsal: would run restore-to-instant of s3://media/img/',
    );
    expect(await allVersionIds(s3, 'media', 'img/')).toEqual(before);
    await act({ type: 'abort', reason: 'rehearsal done' });
  });

  it('refuses a drill whose s3 step writes into production, before anything is written', async () => {
    await open();
    await expect(start('drill', 'runbooks/in-place.yaml')).rejects.toThrow(
      /A drill can never run against a production target/,
    );
  });

  it('restores in place live: the typed name first, then the prefix lists what it did at T; VALID log', async () => {
    await open();
    await start('live', 'runbooks/in-place.yaml');
    await expect(act({ type: 'run', step: 'put-back' })).rejects.toThrow(
      /type its name to confirm first/,
    );
    await act({ type: 'confirm', step: 'put-back', typed: 'media-prod' });
    const ran = await act({ type: 'run', step: 'put-back' });
    expect(ran.state.steps.find((s) => s.id === 'put-back')?.state).toBe('done');
    const checked = await act({ type: 'run', step: 'check' });
    expect(checked.state.outcome).toBe('completed');
    expect(stateDifferences(await currentState(s3, 'media', 'img/'), history.expected)).toEqual([]);
    expect(await verdict(checked.logPath)).toBe('VALID');
  });
});
