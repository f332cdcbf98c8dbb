import { describe, expect, it } from 'vitest';
import type { BackendConfig, SourceConfig, TargetConfig } from '../workspace/types';
import { planRunbook, type RunbookFile } from './plan';
import { bindS3, parseSize, type S3Facts } from './s3-bind';

const s3 = (name: string, endpoint: string | null): BackendConfig => ({
  name,
  type: 's3',
  endpoint,
  region: null,
  profile: null,
  forcePathStyle: null,
  tags: [],
});
const bucketTarget = (
  name: string,
  backend: string,
  path: string,
  environment: TargetConfig['environment'],
): TargetConfig => ({ name, kind: 'bucket', environment, backend, path });

const facts: S3Facts = {
  backends: new Map([
    ['archive', s3('archive', 'http://127.0.0.1:9000/')],
    ['other', s3('other', 'http://127.0.0.1:9999')],
  ]),
  sources: new Map<string, SourceConfig>([
    [
      'media-versions',
      {
        name: 'media-versions',
        type: 's3-versions',
        backend: 'archive',
        service: 'media',
        bucket: 'media',
        prefix: 'img/',
      },
    ],
  ]),
  targets: new Map([
    ['media-prod', bucketTarget('media-prod', 'archive', 'media', 'production')],
    ['media-sandbox', bucketTarget('media-sandbox', 'archive', 'drills/media/', 'sandbox')],
    ['far-sandbox', bucketTarget('far-sandbox', 'other', 'drills', 'sandbox')],
    [
      'scratch',
      { name: 'scratch', kind: 'folder', environment: 'sandbox', backend: null, path: '/tmp/s' },
    ],
  ]),
};

describe('bindS3', () => {
  it('finds the backend through the source on the bucket and the target holding the prefix', () => {
    const op = bindS3(
      { action: 'restore-to-instant', bucket: 'media', prefix: 'img/', at: '2026-03-01T08:00:00Z' },
      facts,
    );
    expect(op).toMatchObject({
      source: {
        backend: 'archive',
        endpoint: 'http://127.0.0.1:9000',
        bucket: 'media',
        prefix: 'img/',
        target: 'media-prod',
      },
      at: '2026-03-01T08:00:00.000Z',
      concurrency: 16,
      multipartThresholdBytes: 5 * 1024 ** 3,
      problem: null,
    });
  });

  it('binds a copy into a sandbox target (its own prefix) and refuses one across endpoints', () => {
    const into = bindS3(
      {
        action: 'copy',
        bucket: 'media',
        prefix: 'img/',
        to: 'media-sandbox',
        at: '2026-03-01T08:00:00Z',
      },
      facts,
    );
    expect(into.to).toMatchObject({ bucket: 'drills', prefix: 'media/', target: 'media-sandbox' });
    expect(into.problem).toBeNull();
    const far = bindS3(
      { action: 'copy', bucket: 'media', to: 'far-sandbox', at: '2026-03-01T08:00:00Z' },
      facts,
    );
    expect(far.problem).toMatch(/stays server-side.*same S3 endpoint/);
  });

  it('names what is wrong: no instant offset, a copy into its own prefix, a download without a folder', () => {
    expect(
      bindS3({ action: 'restore-to-instant', bucket: 'media', at: '2026-03-01 08:00' }, facts)
        .problem,
    ).toMatch(/not an ISO 8601 time with an offset/);
    expect(
      bindS3(
        {
          action: 'copy',
          bucket: 'media',
          prefix: 'img/',
          to: 'media/img/old/',
          at: '2026-03-01T08:00:00Z',
        },
        facts,
      ).problem,
    ).toMatch(/cannot write into the prefix it reads/);
    expect(
      bindS3(
        { action: 'download', bucket: 'media', to: 'media-sandbox', at: '2026-03-01T08:00:00Z' },
        facts,
      ).problem,
    ).toMatch(/download needs `to:` naming a folder target/);
    expect(
      bindS3(
        { action: 'download', bucket: 'media', to: 'scratch', at: '2026-03-01T08:00:00Z' },
        facts,
      ).to,
    ).toEqual({ kind: 'folder', path: '/tmp/s', target: 'scratch' });
  });

  it('binds restore-to-instant with `to:` in place when `to` is the source, and as a copy into a sandbox otherwise', () => {
    const at = '2026-03-01T08:00:00Z';
    const into = (to: string) =>
      bindS3({ action: 'restore-to-instant', bucket: 'media', prefix: 'img/', to, at }, facts);
    // media-prod holds the whole bucket: not the source prefix itself, and it overlaps it.
    expect(into('media/img/')).toMatchObject({
      action: 'restore-to-instant',
      to: null,
      problem: null,
    });
    expect(into('media-sandbox')).toMatchObject({
      action: 'copy',
      to: { bucket: 'drills', prefix: 'media/', target: 'media-sandbox' },
      problem: null,
    });
    expect(into('media-prod').problem).toMatch(/cannot write into the prefix it reads/);
  });

  it('reads sizes as a runbook writes them', () => {
    expect(parseSize('8MiB')).toBe(8 * 1024 ** 2);
    expect(parseSize(1000)).toBe(1000);
    expect(parseSize('5 GB')).toBeNull();
  });
});

describe('planRunbook with s3 steps', () => {
  const runbook: RunbookFile = {
    title: 'Media',
    params: {
      media: { type: 'recovery-point', service: 'media' },
      bucket: { type: 'target', default: 'media-prod' },
    },
    steps: [
      {
        id: 'restore',
        kind: 's3',
        title: 'Restore in place',
        destructive: true,
        target: 'bucket',
        s3: {
          action: 'restore-to-instant',
          bucket: '{{bucket}}',
          prefix: 'img/',
          at: '{{media.time}}',
        },
      },
    ],
  };

  it('binds the instant from the cut and marks a write into production red', () => {
    const plan = planRunbook('runbooks/media.yaml', runbook, {
      cut: {
        group: 'media',
        time: '2026-03-01T08:00:00.000Z',
        skewSeconds: 0,
        toleranceSeconds: 0,
        consistent: true,
        reason: '',
        snapshotId: null,
        members: [
          {
            service: 'media',
            pointId: null,
            windowId: 's3://media/img/',
            source: 'media-versions',
            time: '2026-03-01T08:00:00.000Z',
            lagSeconds: 0,
          },
        ],
      },
      targets: facts.targets,
      backends: facts.backends,
      sources: facts.sources,
      pointPath: () => null,
      rtoSeconds: () => null,
    });
    const step = plan.steps[0];
    expect(step?.production).toBe(true);
    expect(step?.confirmTarget).toBe('media-prod');
    expect(step?.s3).toMatchObject({
      action: 'restore-to-instant',
      source: { bucket: 'media', prefix: 'img/', target: 'media-prod' },
      at: '2026-03-01T08:00:00.000Z',
      problem: null,
    });
  });
});

describe("the README's S3 step", () => {
  it('validates against the runbook schema and binds without a problem', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { validators } = await import('../workspace/validators');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = readme.split('### S3 steps')[1]?.split('```yaml')[1]?.split('```')[0] ?? '';
    const runbook = parse(`title: Media\nversion: 1\n${block}`) as RunbookFile;
    const validate = validators().runbook;
    expect(validate(runbook), JSON.stringify(validate.errors)).toBe(true);
    const facts2: S3Facts = {
      ...facts,
      targets: new Map([
        ['media-prod', bucketTarget('media-prod', 'archive', 'media/img/', 'production')],
      ]),
    };
    const plan = planRunbook('runbooks/media.yaml', runbook, {
      cut: {
        group: 'media',
        time: '2026-03-01T08:00:00.000Z',
        skewSeconds: 0,
        toleranceSeconds: 0,
        consistent: true,
        reason: '',
        snapshotId: null,
        members: [
          {
            service: 'media',
            pointId: null,
            windowId: 's3://media/img/',
            source: 'media-versions',
            time: '2026-03-01T08:00:00.000Z',
            lagSeconds: 0,
          },
        ],
      },
      targets: facts2.targets,
      backends: facts2.backends,
      sources: facts2.sources,
      pointPath: () => null,
      rtoSeconds: () => null,
    });
    for (const step of plan.steps) {
      expect(step.problems).toEqual([]);
      expect(step.unbound).toEqual([]);
      expect(step.s3).toMatchObject({
        at: '2026-03-01T08:00:00.000Z',
        source: { bucket: 'media', prefix: 'img/' },
      });
    }
  });
});
