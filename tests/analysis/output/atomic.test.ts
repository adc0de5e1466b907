/**
 * writeFileAtomic flushes the file before the rename and the folder after it
 * (issue 14, item 9), and leaves no temporary file behind when a write fails.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as realFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const calls: { op: string; kind?: 'file' | 'dir'; path?: string }[] = [];
let failWrites = false;

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    fsyncSync: (fd: number) => {
      calls.push({ op: 'fsync', kind: fs.fstatSync(fd).isDirectory() ? 'dir' : 'file' });
      return fs.fsyncSync(fd);
    },
    renameSync: (a: string, b: string) => {
      calls.push({ op: 'rename', path: b });
      return fs.renameSync(a, b);
    },
    writeSync: (...args: Parameters<typeof fs.writeSync>) => {
      if (failWrites) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return (fs.writeSync as (...a: unknown[]) => number)(...args);
    },
  };
});

const { writeFileAtomic } = await import('../../../analysis/output/atomic.js');
const dir = realFs.mkdtempSync(join(tmpdir(), 'partnersim-atomic-'));
afterAll(() => realFs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  calls.length = 0;
  failWrites = false;
});

describe('writeFileAtomic', () => {
  it('fsyncs the file, renames it into place, then fsyncs the folder', () => {
    const f = join(dir, 'a.csv');
    writeFileAtomic(f, 'x,y\n1,2\n');
    expect(calls).toEqual([{ op: 'fsync', kind: 'file' }, { op: 'rename', path: f }, { op: 'fsync', kind: 'dir' }]);
    expect(realFs.readFileSync(f, 'utf8')).toBe('x,y\n1,2\n');
  });
  it('on ENOSPC throws the system error, keeps the old file and leaves no temporary file', () => {
    const f = join(dir, 'b.csv');
    writeFileAtomic(f, 'old\n');
    failWrites = true;
    expect(() => writeFileAtomic(f, 'new\n')).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    expect(realFs.readFileSync(f, 'utf8')).toBe('old\n');
    expect(realFs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
