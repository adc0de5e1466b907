/**
 * Words for users in one place: help texts, fixed messages, and small formatters
 * the commands share.
 */

/** "2007-08" for 2007. */
export function academicYear(y: number): string {
  return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}

export const MSG = {
  usage: 'partnersim: an agent-based simulator of English secondary schools forming and dissolving partnerships (after NAO, Partnering for school improvement, 2009)',
  epilog:
    'Every command takes --help. Results are reproducible from the manifest.json written with --out.\n' +
    'Exit codes: 0 done; 2 bad input (one message naming the file and field); 3 the environment failed (disk full, no permission, read-only file system, too many open files, a worker failing twice), with what was kept and how to resume; 130/143 interrupted (SIGINT/SIGTERM), likewise; 1 an internal error (a bug).',
  npmStart: 'npm start runs: partnersim compare --scenarios all --reps 40 (every built-in scenario against the baseline and the no-partnering reference, 40 replications each; one to two minutes; progress below when this is a terminal)',
  unknownCommand: (c: string) => `unknown command '${c}'; run 'partnersim --help' for the list of commands`,
  internal: 'partnersim: internal error (this is a bug; please report it with the command you ran):',
  validOk: (file: string, name: string) => `${file}: valid scenario '${name}'`,
} as const;
