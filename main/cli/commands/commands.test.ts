// The lazy command table must say what the commands themselves say.
import { describe, expect, it } from 'vitest';
import { commands } from './index';

describe('the command table', () => {
  it('names and summarises each command as its module does', async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({
        name: entry.name,
        summary: entry.summary,
      });
    }
  });
});
