// Second half of `npm run build`, after tsc: (1) the scenario validator precompiled
// (dist/scenarios/scenario-validator.cjs, see scenarios/validator.ts); (2) the command
// line and the worker bundled with esbuild into dist/cli/main.js and
// dist/workers/worker.js (replacing tsc's entry files; the code each command loads
// lazily stays lazy, as chunks in dist/chunks/), so starting `partnersim` reads a few
// files instead of a few hundred. Native and large lazily-loaded packages stay in
// node_modules.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lazyTextWidth } from './lazy-text-width.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { precompiledFile, validatorSource } = await import(new URL('../dist/scenarios/validator.js', import.meta.url).href);
writeFileSync(precompiledFile(), validatorSource());
// (1a) the sweep and experiment validators precompiled the same way.
const { precompiledFileFor, precompiledSource } = await import(new URL('../dist/scenarios/validator.js', import.meta.url).href);
const sweep = await import(new URL('../dist/scenarios/sweep-loader.js', import.meta.url).href);
const { sweepSchema } = await import(new URL('../dist/scenarios/sweep-schema.js', import.meta.url).href);
writeFileSync(precompiledFileFor('sweep'), precompiledSource(sweepSchema(), sweep.VALIDATOR_OPTIONS));
const experiment = await import(new URL('../dist/scenarios/experiment-loader.js', import.meta.url).href);
const { experimentSchema } = await import(new URL('../dist/scenarios/experiment-schema.js', import.meta.url).href);
writeFileSync(precompiledFileFor('experiment'), precompiledSource(experimentSchema(), experiment.VALIDATOR_OPTIONS));
// (1b) the built-in scenario files parsed and validated (dist/scenarios/builtin-docs.json, see scenarios/loader.ts).
const { builtinDocsFile, builtinDocsSource } = await import(new URL('../dist/scenarios/loader.js', import.meta.url).href);
writeFileSync(builtinDocsFile(), builtinDocsSource());

rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { 'cli/main': 'cli/main.ts', 'workers/worker': 'workers/worker.ts' },
  outdir: join(root, 'dist'),
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // CommonJS packages inside an ES bundle need a real `require`.
  banner: { js: "import { createRequire as __partnersimCreateRequire } from 'node:module'; const require = __partnersimCreateRequire(import.meta.url);" },
  external: ['@duckdb/*', '@resvg/*', 'vega', 'vega-lite', 'vega-embed', 'mathjs', 'playwright-core', 'worker-threads-pool', 'dejavu-fonts-ttf'],
  logLevel: 'warning',
  plugins: [lazyTextWidth],
});
// The package's bin (`npx partnersim` in a fresh clone runs this file directly): a newly
// written file is not executable, and npm does not link the root package's own bin.
chmodSync(join(root, 'dist', 'cli', 'main.js'), 0o755);
