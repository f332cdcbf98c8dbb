// Contract tests: whatever a (possibly compromised) renderer sends, main answers with a Result.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls } from '../../preload/contract';
import { createContext } from './context';
import { checkEvent, dispatch } from './dispatch';
import { handlers } from './handlers/index';

const ctx = () =>
  createContext({ version: 'test', transport: 'browser', dataDir: os.tmpdir(), emit: () => {} });

describe('dispatch', () => {
  it('answers a known call with its validated value', async () => {
    const result = await dispatch('app.info', {}, ctx());
    expect(result).toEqual({
      ok: true,
      value: { version: 'test', transport: 'browser', platform: process.platform },
    });
  });

  it('refuses an unknown call, including prototype names, with a sentence', async () => {
    for (const name of ['nope.nothing', '__proto__', 'constructor', 'toString']) {
      const result = await dispatch(name, {}, ctx());
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('UNKNOWN_CALL');
        expect(result.error.message).toMatch(/no call named/);
        expect(result.error.hint).not.toBe('');
      }
    }
  });

  it('refuses malformed requests with BAD_REQUEST, never throwing', async () => {
    const bad: unknown[] = [
      { path: 42 },
      { path: '' },
      { path: 'x', extra: true },
      'string',
      [1, 2],
      7,
      { path: 'x'.repeat(5000) },
    ];
    for (const request of bad) {
      const result = await dispatch('workspace.open', request, ctx());
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('BAD_REQUEST');
    }
  });

  it('turns an error inside a handler into a structured error', async () => {
    const result = await dispatch('workspace.reload', {}, ctx());
    expect(result).toMatchObject({ ok: false, error: { code: 'NO_WORKSPACE' } });
  });

  it('opens a broken workspace without throwing and reports the problem with a file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dapple-ws-'));
    await fs.writeFile(path.join(dir, 'dapple.yaml'), 'name: [unclosed\n');
    const result = await dispatch('workspace.open', { path: dir }, ctx());
    expect(result.ok).toBe(true);
    if (result.ok) {
      const view = result.value as { problems: { file: string; message: string }[] };
      expect(view.problems.length).toBeGreaterThan(0);
      expect(view.problems[0]?.file).toContain('dapple.yaml');
    }
  });

  it('offers no folder picker in browser mode, with a hint to type a path', async () => {
    const result = await dispatch('workspace.choose', {}, ctx());
    expect(result).toMatchObject({ ok: false, error: { code: 'NO_DIALOG' } });
  });

  it('has a one-line comment for every call and event in the contract', async () => {
    const source = await fs.readFile(path.join(__dirname, '../../preload/contract.ts'), 'utf8');
    for (const name of Object.keys(calls)) {
      expect(source, `${name} needs a /** comment */ above it`).toMatch(
        new RegExp(`/\\*\\*[^\\n]*\\*/\\s*\\n\\s*'${name.replace('.', '\\.')}'`),
      );
    }
  });

  it('drops an event whose payload does not match the contract', () => {
    expect(checkEvent('menu.navigate', { section: 'catalog' }).ok).toBe(true);
    expect(checkEvent('menu.navigate', { section: 'rm -rf /' }).ok).toBe(false);
  });

  it('refuses a malformed timeline answer at the door, frozen columns or not', async () => {
    const frozen = <T>(xs: T[]): T[] => {
      Object.freeze(xs);
      return xs;
    };
    const lane = (columns: { at: number[]; kind: number[] }) => ({
      service: 'db',
      rpoSeconds: 3600,
      count: 2,
      strings: frozen(['pg']),
      ids: 'a\u007fb',
      ...columns,
      source: frozen([0, 0]),
      flags: frozen([2, 2]),
      copies: frozen([1, 1]),
      locks: { row: [], until: [] },
      snapshots: { row: [], id: [] },
      links: { from: [], to: [], broken: [] },
      windows: [],
      gaps: { start: [], end: [] },
      first: 1,
      last: 2,
    });
    const answerWith = (columns: { at: number[]; kind: number[] }) => ({
      timeline: { group: 'shop', now: 3, lanes: [lane(columns)] },
      cuts: [],
      asOf: null,
    });
    const at = frozen([1, 2]);
    const kind = frozen([0, 3]);
    const unfrozen = [0, 3];
    const answers = [
      answerWith({ at, kind }),
      answerWith({ at, kind }), // the same frozen columns again: passed once, passed for good
      answerWith({ at: frozen([1, Number.NaN]), kind }),
      answerWith({ at, kind: frozen([0, 99]) }), // outside PointKind's table
      answerWith({ at, kind: unfrozen }),
      answerWith({ at, kind: unfrozen }), // the same array, changed after it passed
      {
        ...answerWith({ at, kind }),
        timeline: { group: 'shop', now: 3, lanes: [{ ...lane({ at, kind }), ids: 'a' }] },
      },
    ];
    const original = handlers['groups.timeline'];
    handlers['groups.timeline'] = async () => {
      if (answers.length === 2) unfrozen[1] = -1;
      return answers.shift() as never;
    };
    try {
      const codes: string[] = [];
      for (let i = 0; i < 7; i++) {
        const result = await dispatch('groups.timeline', { group: 'shop' }, ctx());
        codes.push(result.ok ? 'ok' : result.error.code);
      }
      expect(codes).toEqual([
        'ok',
        'ok',
        'BAD_RESPONSE',
        'BAD_RESPONSE',
        'ok',
        'BAD_RESPONSE',
        'BAD_RESPONSE',
      ]);
    } finally {
      handlers['groups.timeline'] = original;
    }
  });
});
