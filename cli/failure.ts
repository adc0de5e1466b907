/**
 * What the CLI says when a command stops for a reason that is not bad input:
 * the environment failed (disk full, no permission, read-only file system, too many
 * open files, a worker thread that failed beyond its retry) or the user interrupted
 * it (SIGINT, SIGTERM). Either way the message says what was kept and how to
 * resume, worked out from the command line alone (issue 14, items 3 and 7).
 * Exit codes: 3 for an environment failure, 130 / 143 for SIGINT / SIGTERM.
 */
import { RunFailedError } from '../sim/errors.js';

/** Exit code of an environment failure (documented in the README and `--help`). */
export const EXIT_ENVIRONMENT = 3;

/** System error codes that mean the machine, not the input or the program, failed. */
const ENV_CODES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  EIO: 'an input/output error on the disk',
};

/** The same conditions as DuckDB (and other libraries) word them in messages. */
const ENV_TEXTS: [RegExp, string][] = [
  [/No space left on device|ENOSPC/i, 'ENOSPC'],
  [/Disk quota exceeded|EDQUOT/i, 'EDQUOT'],
  [/Read-only file system|EROFS/i, 'EROFS'],
  [/Too many open files|EMFILE/i, 'EMFILE'],
  [/Permission denied|EACCES/i, 'EACCES'],
];

/** If `e` is an environment failure, its code (ENOSPC, ...) or 'WORKER'; else undefined. */
export function environmentCode(e: unknown): string | undefined {
  if (e instanceof RunFailedError) return 'WORKER';
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code in ENV_CODES) return code;
    const msg = x instanceof Error ? x.message : typeof x === 'string' ? x : '';
    for (const [re, c] of ENV_TEXTS) if (re.test(msg)) return c;
  }
  return undefined;
}

/** The command line, read just enough to say what was kept and how to resume. */
interface Invocation {
  command: string | undefined;
  out: string | undefined;
  argv: string[];
}

function invocation(argv: string[]): Invocation {
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[i + 1];
    else if (argv[i].startsWith('--out=')) out = argv[i].slice(6);
  }
  return { command: argv.find((a) => !a.startsWith('-')), out, argv };
}

function quote(a: string): string {
  return /^[\w./:=,@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The command to type, as given (with --resume added for a sweep). */
function again(inv: Invocation, resume: boolean): string {
  const args = inv.argv.filter((a) => a !== '--resume' && a !== '--resume=true');
  return ['partnersim', ...args, ...(resume ? ['--resume'] : [])].map(quote).join(' ');
}

/** What was kept, and how to carry on, for the command in `argv`. */
export function keptAndResume(argv: string[]): string {
  const inv = invocation(argv);
  switch (inv.command) {
    case 'sweep':
    case 'robust':
      return inv.out
        ? `Kept: every run that finished is committed in ${inv.out}/sweep.duckdb (runs in flight are lost and will be run again). Resume with:\n  ${again(inv, true)}`
        : 'Kept: nothing (no --out folder).';
    case 'merge':
      return `Kept: the shard folders are untouched; ${inv.out ? `${inv.out} holds no complete merge. ` : ''}Run the merge again:\n  ${again(inv, false)}`;
    case 'report':
      return `Kept: the results in the folder are untouched; each chart file is written whole or not at all. Draw the report again:\n  ${again(inv, false)}`;
    case 'compare':
      return inv.out
        ? `Kept: the replications that finished are in ${inv.out}/replications.partial.csv (a line per outcome, appended as each finished), and files already in ${inv.out} were each written whole; compare cannot be resumed part-way. Run it again:\n  ${again(inv, false)}`
        : `Kept: nothing was written (no --out). Run it again:\n  ${again(inv, false)}`;
    default:
      return inv.out
        ? `Kept: files already in ${inv.out} were each written whole (a temporary file renamed into place), never half-written; this command cannot be resumed part-way. Run it again:\n  ${again(inv, false)}`
        : `Kept: nothing was written (no --out). Run it again:\n  ${again(inv, false)}`;
  }
}

/** The message for an environment failure `code` (from {@link environmentCode}). */
export function environmentMessage(code: string, e: unknown, argv: string[]): string {
  const detail = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const what =
    code === 'WORKER'
      ? `a worker thread failed beyond its retry (${detail}); this is usually the machine (memory, a killed process), not the input`
      : `${ENV_CODES[code]} (${code}): ${detail}`;
  const fix = code === 'ENOSPC' || code === 'EDQUOT' ? ' Free some space (or choose another --out) first.' : code === 'EMFILE' || code === 'ENFILE' ? ' Raise the open-file limit (ulimit -n) or use fewer --threads.' : code === 'WORKER' ? '' : ' Check the folder\'s permissions and file system.';
  return `partnersim: stopped: ${what}.${fix}\n${keptAndResume(argv)}\n`;
}

/** The message for SIGINT or SIGTERM. */
export function signalMessage(signal: string, argv: string[]): string {
  return `\npartnersim: interrupted (${signal}).\n${keptAndResume(argv)}\n`;
}
