// Running the CLI bundle with a V8 code cache, as Node 22's module.enableCompileCache does (Node 20
// has none). Compiling the 1 MB bundle and the YAML parser's functions anew cost each run ~50-150 ms,
// as much as a small restic listing. The cache is per user (a 0700 folder), keyed by the bundle's
// hash, Node's version and the command, and written after a successful run that had none, so it
// holds the functions that command used. DAPPLE_CODE_CACHE=off runs without it; =trace says
// on stderr whether it was used.
import fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { codeCacheDir, privateFolder } from './cache-dir';

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

// Atomically, dropping the caches of older bundles; any failure only costs the next run its speed.
function writeCache(dir: string, file: string, data: Buffer, key: string): void {
  try {
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, file);
    for (const name of fs.readdirSync(dir))
      if (name.endsWith('.bin') && !name.startsWith(key))
        fs.rmSync(path.join(dir, name), { force: true });
  } catch {
    // a read-only or full disk: run without a cache
  }
}

// "catalog-list" for `dapple catalog list --refresh`: each command caches what it compiles (and
// a command's --help, which compiles little, has a cache of its own).
function commandOf(argv: string[]): string {
  const words = argv.slice(0, 2).filter((w) => /^[a-z][a-z-]{0,19}$/.test(w));
  if (argv.includes('--help') || argv.includes('-h')) words.push('help');
  return words.join('-') || 'none';
}

/** Run the CLI bundle `file` as a CommonJS module, with a code cache unless it is turned off. */
export function runBundle(
  file: string,
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): void {
  const source = fs.readFileSync(file, 'utf8');
  const dir = env.DAPPLE_CODE_CACHE === 'off' ? null : codeCacheDir(env);
  const usable = dir !== null && privateFolder(dir);
  // Loaded here, not on import: node:crypto costs ~10 ms, which boot.ts spends after starting restic.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const key = createHash('sha256')
    .update(`${process.version} ${process.arch}\n`)
    .update(source)
    .digest('hex')
    .slice(0, 32);
  const cacheFile = usable ? path.join(dir, `${key}-${commandOf(argv)}.bin`) : null;
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // No importModuleDynamically: it is experimental (a warning on stderr) and is lost when the
    // code comes from the cache (Node 20). The build turns the bundle's import() into require().
  });
  if (env.DAPPLE_CODE_CACHE === 'trace') {
    const state = !cacheFile
      ? 'unusable'
      : !cachedData
        ? 'absent'
        : script.cachedDataRejected
          ? 'rejected'
          : 'used';
    process.stderr.write(`dapple: code cache ${state}${cacheFile ? ` (${cacheFile})` : ''}\n`);
  }
  if (dir && cacheFile && (!cachedData || script.cachedDataRejected)) {
    // After the run: the cache then holds the functions this command compiled, not only the top.
    process.once('exit', (code) => {
      if (code === 0) writeCache(dir, cacheFile, script.createCachedData(), key);
    });
  }
  const bundle = new Module(file, module);
  bundle.filename = file;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(bundle.exports, bundle.exports, createRequire(file), bundle, file, path.dirname(file));
}
