/**
 * Bundles the workshop page's browser code with esbuild (run by `npm run build`, so the
 * built CLI needs neither esbuild nor the network at `workshop` time): the page script
 * and the Web Worker, each one self-contained IIFE, written to dist/workshop/.
 * Both come from the TypeScript sources, so the browser runs the very engine, pipeline
 * and statistics that the CLI runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../scenarios/yaml-path.js';

/** Where the bundles go. */
export function bundleDir(): string {
  return join(packageRoot(), 'dist', 'workshop', 'web');
}

/** Build page.js and worker.js into dist/workshop/web. */
export async function buildBundles(): Promise<string[]> {
  const esbuild = await import('esbuild');
  const root = packageRoot();
  const out = bundleDir();
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  for (const name of ['page', 'worker']) {
    const r = await esbuild.build({
      entryPoints: [join(root, 'workshop', 'web', `${name}.ts`)],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      // scenarios/libs.ts reads import.meta.url only under Node (the page hands it the libraries).
      define: { 'import.meta.url': '""' },
      write: false,
      logLevel: 'warning',
    });
    const file = join(out, `${name}.js`);
    writeFileSync(file, r.outputFiles[0].text);
    written.push(file);
  }
  return written;
}

if (process.argv[1] && /bundle\.js$/.test(process.argv[1])) {
  buildBundles().then(
    (files) => process.stdout.write(`workshop bundles: ${files.join(', ')}\n`),
    (e: unknown) => {
      process.stderr.write(`workshop bundle failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
