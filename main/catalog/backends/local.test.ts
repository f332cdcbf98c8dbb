import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../ground/errors';
import { LocalBackend, createLocalBackend } from './local';

let dir: string;
let backend: LocalBackend;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dapple-local-'));
  const root = join(dir, 'nas');
  await mkdir(join(root, 'orders-db', 'set-1'), { recursive: true });
  await mkdir(join(root, 'uploads'), { recursive: true });
  await writeFile(join(root, 'orders-db', 'set-1.json'), '{"id":"set-1"}');
  await writeFile(join(root, 'orders-db', 'set-1', 'orders.sql'), 'INSERT 1;');
  await writeFile(join(root, 'uploads', 'a.json'), '{}');
  await writeFile(join(dir, 'secret.txt'), 'outside the backend');
  await mkdir(join(dir, 'elsewhere'));
  await writeFile(join(dir, 'elsewhere', 'x.json'), '{}');
  // Links that lead out of the backend folder, and one that stays inside.
  await symlink(join(dir, 'secret.txt'), join(root, 'orders-db', 'escape.json'));
  await symlink(join(dir, 'elsewhere'), join(root, 'outside-dir'));
  await symlink(join(root, 'uploads', 'a.json'), join(root, 'inside-link.json'));
  backend = createLocalBackend({ name: 'nas', type: 'local', path: root, tags: [] });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function all(prefix: string, from: LocalBackend = backend): Promise<string[]> {
  const paths: string[] = [];
  for await (const file of from.list(prefix)) paths.push(file.path);
  return paths;
}

async function refusal(action: () => Promise<unknown>): Promise<UserError> {
  const error = await action().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('LocalBackend', () => {
  it('lists every regular file recursively with paths relative to its folder, links not followed', async () => {
    expect(await all('')).toEqual([
      'orders-db/set-1.json',
      'orders-db/set-1/orders.sql',
      'uploads/a.json',
    ]);
    expect(await all('orders-db')).toEqual(['orders-db/set-1.json', 'orders-db/set-1/orders.sql']);
    const [first] = await (async () => {
      const files = [];
      for await (const file of backend.list('uploads/')) files.push(file);
      return files;
    })();
    expect(first).toMatchObject({ path: 'uploads/a.json', sizeBytes: 2 });
  });

  it('reads files inside the folder', async () => {
    expect((await backend.read('orders-db/set-1.json')).toString()).toBe('{"id":"set-1"}');
    expect((await backend.read('./orders-db//set-1/orders.sql')).toString()).toBe('INSERT 1;');
    expect((await backend.read('inside-link.json')).toString()).toBe('{}');
    expect(await backend.resolve('orders-db/set-1')).toMatch(/nas\/orders-db\/set-1$/);
  });

  it('refuses "..", absolute paths and links that lead out', async () => {
    expect((await refusal(() => backend.read('../secret.txt'))).message).toMatch(
      /refused: it contains "\.\."/,
    );
    expect((await refusal(() => backend.read(join(dir, 'secret.txt')))).message).toMatch(
      /refused: it is absolute/,
    );
    const link = await refusal(() => backend.read('orders-db/escape.json'));
    expect(link.code).toBe('PATH_REFUSED');
    expect(link.message).toMatch(/leads outside the backend folder through a link/);
    expect((await refusal(() => all('outside-dir'))).code).toBe('PATH_REFUSED');
    expect((await refusal(() => all('uploads/../..'))).code).toBe('PATH_REFUSED');
  });

  it('says what is missing, in a sentence', async () => {
    const missing = await refusal(() => backend.read('orders-db/nope.json'));
    expect(missing.message).toBe('orders-db/nope.json does not exist on backend nas.');
    expect(missing.hint).toMatch(/mounted/);
    const unmounted = new LocalBackend('usb', join(dir, 'not-mounted'));
    expect((await refusal(() => all('', unmounted))).code).toBe('NOT_FOUND');
    expect((await refusal(() => unmounted.read('x.json'))).message).toMatch(
      /not-mounted does not exist on backend usb/,
    );
    expect((await refusal(() => backend.read('orders-db'))).code).toBe('NOT_A_FILE');
  });

  it('runs tools on this machine', async () => {
    const result = await backend.runner().run(['echo', 'local tools']);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('local tools\n');
  });
});
