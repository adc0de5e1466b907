/**
 * The one error type for bad user input (a malformed scenario file, an unknown
 * parameter, a value out of range, a missing file, an unusable data file). The CLI
 * prints its message alone, with no stack trace, and exits with code 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    /** The file the problem is in, if any. */
    readonly file?: string,
    /** Where in the file: a field path such as `parameters.trust.gain`, or `row 12, column URN`. */
    readonly field?: string,
  ) {
    super(message);
  }

  /** Build the standard message: "FILE: FIELD: what is wrong; expected ...". */
  static at(file: string | undefined, field: string | undefined, problem: string): InputError {
    const where = [file, field].filter((x) => x !== undefined && x !== '').join(': ');
    return new InputError(where ? `${where}: ${problem}` : problem, file, field);
  }
}

/** A run that could not finish (e.g. a worker failed twice); exit code 1, message only. */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';
}
