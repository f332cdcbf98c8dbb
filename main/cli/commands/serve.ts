// `dapple serve`: browser mode — the console on 127.0.0.1 behind a token URL.
import path from 'node:path';
import { UserError } from '../../ground/errors';
import { openWorkspace } from '../../api/handlers/workspace';
import { startBridge } from '../../bridge/server';
import { defaultDataDir, rendererDir } from '../../paths';
import { operatorKeyFile, passphraseKeyStore } from '../../restore/operator';
import { prepareDemoWorkspace } from '../../workspace/demo';
import { flagString, parseArgs, type Command } from '../command';

const help = `Usage: dapple serve [--workspace DIR] [--port N] [--data-dir DIR]

Serve the Dapple console to a browser on 127.0.0.1 only. Prints one line with a URL
that carries a random access token; requests without it, from other origins or for
other host names are refused.

  --workspace DIR   the workspace folder (default: a fresh copy of the demo workspace)
  --port N          the port (default: a free one)
  --data-dir DIR    where caches and keys live (default: $DAPPLE_DATA_DIR or ~/.local/share/dapple)
`;

/** Resolve when the process is asked to stop. */
const untilStopped = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the console to a browser on 127.0.0.1 (browser mode)',
  help,
  async run(args, io) {
    const parsed = parseArgs(args, ['workspace', 'port', 'data-dir'], []);
    const portText = flagString(parsed, 'port') ?? '0';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UserError(
        'BAD_ARGS',
        `"${portText.slice(0, 20)}" is not a port number.`,
        'Give a number from 1 to 65535, or leave --port out.',
      );
    }
    const given = flagString(parsed, 'workspace');
    const workspaceDir = given
      ? path.resolve(io.cwd, given)
      : await prepareDemoWorkspace({ now: new Date() });
    const bridge = await startBridge({
      port,
      rendererDir: rendererDir(),
      dataDir: flagString(parsed, 'data-dir') ?? defaultDataDir(io.env),
      version: io.env.DAPPLE_VERSION ?? '0.1.0',
    }).catch((error: unknown) => {
      const code = (error as { code?: string }).code;
      if (code === 'EADDRINUSE')
        throw new UserError(
          'PORT_IN_USE',
          `Port ${port} is already in use.`,
          'Pick another with --port, or leave it out.',
        );
      throw error;
    });
    // Sessions sign with a passphrase key file here: DAPPLE_KEY_PASSPHRASE, else asked in the console.
    const ctx = bridge.ctx;
    ctx.operatorKeys = () => passphraseKeyStore(operatorKeyFile(ctx.dataDir), io.env, ctx.prompts);
    const view = await openWorkspace(workspaceDir, bridge.ctx);
    io.stdout(`Dapple console (${given ? view.name : 'demo workspace'}): ${bridge.url}\n`);
    await untilStopped();
    await bridge.close();
    return 0;
  },
};
