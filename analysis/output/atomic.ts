/**
 * Writing output files so that nothing is ever half-written: each file goes to a
 * temporary name in the same folder, is flushed to the disk (fsync), and is renamed
 * into place; the folder is then flushed too, so the rename itself survives a crash.
 */
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, basename, resolve } from 'node:path';
import { InputError } from '../../sim/errors.js';

/** Flush a folder's entries (a rename inside it) to the disk; a no-op where folders cannot be opened. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Some platforms and file systems cannot fsync a folder; that is not a failure to write.
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'ENOTSUP') throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Write `data` to `file` atomically (temp file, fsync, rename, fsync of the folder). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
    fsyncDir(dirname(file));
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the first error is the one to report
      }
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Make sure `dir` exists and is writable before any work starts; an InputError
 * (exit code 2) names the folder otherwise. The nearest existing ancestor must be a
 * writable folder, and each missing level is created one at a time (Node's
 * recursive mkdir loops forever under /proc, issue 14 item 5).
 */
export function prepareOutDir(dir: string): void {
  const fail = (why: string): never => {
    throw InputError.at(dir, '--out', why);
  };
  try {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) fail('exists and is not a folder; expected a folder to write results into');
      accessSync(dir, constants.W_OK);
      return;
    }
    const missing: string[] = [];
    let at = resolve(dir);
    while (!existsSync(at)) {
      missing.unshift(at);
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
    if (!statSync(at).isDirectory()) fail(`cannot be created: ${at} is not a folder`);
    accessSync(at, constants.W_OK);
    if (at === '/proc' || at.startsWith('/proc/') || at === '/sys' || at.startsWith('/sys/')) fail(`cannot be created under ${at} (a kernel file system); expected a writable folder`);
    for (const d of missing) mkdirSync(d);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof InputError) throw e;
    fail(`cannot write results here (${(e as NodeJS.ErrnoException).code ?? 'error'}); expected a writable folder`);
  }
}
