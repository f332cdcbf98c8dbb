// `npm start`: the Electron app when its binary is installed, otherwise browser mode on the demo workspace.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const electron = electronBinary(root);
const args = process.argv.slice(2);
const child = electron
  ? spawn(electron, [root, ...args], { stdio: 'inherit' })
  : (console.log(
      'Electron is not installed here (its download was skipped), so Dapple starts in browser mode: open the URL below.',
    ),
    spawn(process.execPath, [path.join(root, 'out/cli/index.js'), 'serve', ...args], {
      stdio: 'inherit',
    }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
