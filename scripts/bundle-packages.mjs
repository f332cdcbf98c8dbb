// esbuild plugin: bundle the named npm packages although the build leaves packages external.
// Node resolving and reading yaml's ~70 files cost a CLI run ~60-100 ms; one bundled copy ~25 ms.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Bundle `names` (exact package names) into the output instead of requiring them at run time. */
export function bundlePackages(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'bundle-packages',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: require.resolve(args.path) }));
    },
  };
}
