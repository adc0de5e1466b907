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
  epilog: 'Every command takes --help. Results are reproducible from the manifest.json written with --out.',
  unknownCommand: (c: string) => `unknown command '${c}'; run 'partnersim --help' for the list of commands`,
  internal: 'partnersim: internal error (this is a bug; please report it with the command you ran):',
  validOk: (file: string, name: string) => `${file}: valid scenario '${name}'`,
} as const;
