/**
 * Where built-in scenario files live, found relative to this module whether it runs
 * from source (scenarios/) or compiled (dist/scenarios/).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (the folder holding package.json). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('partnersim: cannot find the package root');
}

/** Folder of the built-in scenario files. */
export function builtinDir(): string {
  return join(packageRoot(), 'scenarios');
}
