// What the terminal shows: argv word by word with invisible characters spelled out, and the
// command that checks a log spelled the way this dapple was started (npm, a linked bin, node).
import { describe, expect, it } from 'vitest';
import { visible } from '../../ground/visible';
import { argvWords, selfCommand } from './drill-words';

describe('drill words', () => {
  it('shows each word in a box, a space or a line break inside a word visible', () => {
    expect(argvWords(['cp', '-R', '/srv/a b', 'x\ny', 'tab\there', 'z\u200bw'])).toBe(
      '[cp] [-R] [/srv/a b] [x\\ny] [tab\\there] [z\\u{200B}w]',
    );
    expect(visible('sandbox-restore\u202e')).toBe('sandbox-restore\\u{202E}');
    expect(visible('a\\b')).toBe('a\\\\b');
  });

  it('names a verify command that works as this dapple was started', () => {
    expect(
      selfCommand(
        { npm_lifecycle_event: 'dapple', npm_package_json: '/opt/my dapple/package.json' },
        ['node', '/opt/my dapple/bin/dapple.mjs'],
        '/usr/bin/node',
      ),
    ).toBe("npm --prefix '/opt/my dapple' run -s dapple --");
    expect(selfCommand({}, ['node', '/usr/local/bin/dapple'], '/usr/bin/node')).toBe('dapple');
    expect(
      selfCommand({}, ['node', '/opt/dapple/bin/dapple.mjs'], '/opt/dapple/node_modules/.bin/node'),
    ).toBe('/opt/dapple/node_modules/.bin/node /opt/dapple/bin/dapple.mjs');
  });
});
