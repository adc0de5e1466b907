/**
 * Writing output files so that nothing is ever half-written: each file goes to a
 * temporary name in the same folder and is renamed into place when complete.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { InputError } from '../../sim/errors.js';

/** Write `data` to `file` atomically (temp file + rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Make sure `dir` exists and is writable before any work starts; an InputError
 * (exit code 2) names the folder otherwise.
 */
export function prepareOutDir(dir: string): void {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw InputError.at(dir, '--out', 'exists and is not a folder; expected a folder to write results into');
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw InputError.at(dir, '--out', `cannot write results here (${(e as NodeJS.ErrnoException).code ?? 'error'}); expected a writable folder`);
  }
}
