/** Running the built CLI (dist/cli/main.js, which `npm test` builds first) in a subprocess. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fail clearly when the CLI has not been built. */
export function requireBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the CLI first with \`npm run build\` (\`npm test\` builds before running vitest)`);
}

/** Run the CLI with `args` in `cwd` (extra environment variables in `env`); never rejects. */
export function cli(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, [MAIN, ...args], { cwd, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
