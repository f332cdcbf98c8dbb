// A request the contract refuses reaches a person as a sentence: what could not be done and which
// value, never the contract's field paths or zod's wording (those stay in the detail).
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch';
import { createContext } from './context';
import { calls, type CallName } from '../../preload/contract';

const ctx = () =>
  createContext({ version: 'test', transport: 'browser', dataDir: os.tmpdir(), emit: () => {} });
const contractWords =
  /malformed|Invalid|expected|received|Too (big|small)|[a-z]+\.[a-z]+[A-Z]?\w*:/;

describe('refused requests in words', () => {
  it('says which value of "find the last good state" it could not read', async () => {
    const result = await dispatch('groups.bestCut', { group: 'shop', before: '13:18' }, ctx());
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message:
          'Dapple could not find the last good state before the incident: the incident time is not a date and time Dapple can read.',
        detail: 'groups.bestCut: before: Invalid ISO datetime',
      },
    });
  });

  it('names a missing value, an unknown field and a wrong choice without the contract words', async () => {
    const cases: [CallName, unknown, RegExp][] = [
      ['groups.bestCut', { group: 'shop' }, /the incident time is missing/],
      ['workspace.open', { path: 'x', extra: 1 }, /the request carries something/],
      ['audit.report', { format: 'docx' }, /the report format is not one of the choices/],
      ['workspace.open', { path: 'x'.repeat(5000) }, /the path is too long/],
      [
        'session.start',
        { file: 'r.yaml', cut: null, mode: 'live', incident: '-2h' },
        /incident time/,
      ],
    ];
    for (const [name, request, words] of cases) {
      const result = await dispatch(name, request, ctx());
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.message).toMatch(words);
      expect(`${result.error.message} ${result.error.hint}`).not.toMatch(contractWords);
    }
  });

  it('gives every call a sentence for a garbage request', async () => {
    for (const name of Object.keys(calls) as CallName[]) {
      const result = await dispatch(name, { garbage: [1, 2, 3] }, ctx());
      if (result.ok) continue;
      expect(result.error.message).toMatch(/^Dapple could not [a-z].*\.$/);
      expect(`${result.error.message} ${result.error.hint}`).not.toMatch(contractWords);
    }
  });
});
