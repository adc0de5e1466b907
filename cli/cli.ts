/**
 * The command line: yargs commands that parse, validate, call the pipeline and print.
 * This is the only place that sets the process exit code: 0 success, 2 bad input
 * (an InputError or a usage error: one message, no stack trace), 3 the environment
 * failed (disk full, no permission, read-only file system, too many open files, a
 * worker thread failed beyond its retry: a message saying what was kept and how to
 * resume), 130/143 interrupted by SIGINT/SIGTERM (the same message), 1 an internal error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { InputError } from '../sim/errors.js';
import { environmentCode, environmentMessage, EXIT_ENVIRONMENT, signalMessage } from './failure.js';
import { MSG } from './messages.js';
import { commonOptions, worldOptions } from './options.js';
import { registerSweepCommands } from './commands/sweep.js';
import { registerRobustCommands } from './commands/robust.js';
import { packageRoot } from '../scenarios/yaml-path.js';

// Each handler imports its command module when it runs, so `--help` or a usage error
// never loads the renderer, the database or the importer.
const commands = {
  run: () => import('./commands/run.js'),
  scenarios: () => import('./commands/scenarios.js'),
  compare: () => import('./commands/compare.js'),
  report: () => import('./commands/report.js'),
  calibrate: () => import('./commands/calibrate.js'),
  survey: () => import('./commands/survey.js'),
  workshop: () => import('./commands/workshop.js'),
};

/** Build the parser (exported for tests of the pure parsing part). */
export function buildCli(argv: string[]): Argv {
  const core = yargs(argv)
    .scriptName('partnersim')
    .usage(`${MSG.usage}\n\nUsage: $0 <command> [options]`)
    .command(
      'run',
      'Run one scenario on the synthetic England and print a summary',
      (y) =>
        worldOptions(commonOptions(y))
          .option('scenario', { type: 'string', default: 'baseline', describe: 'A built-in scenario name (see `partnersim scenarios`) or a scenario file' })
          .option('reps', { type: 'string', describe: 'Monte Carlo replications (on worker threads); prints the distribution of each outcome' })
          .option('threads', { type: 'string', describe: 'Worker threads for --reps (default: the available cores)' })
          .example('$0 run --scenario incentivise-high-performers --seed 7', 'A policy scenario')
          .example('$0 run --scenario my.yaml --out results/', 'Your own scenario, writing CSVs and a manifest')
          .example('$0 run --reps 100 --threads 2', 'A distribution over 100 replications'),
      async (a) => {
        const report = await commands.report();
        report.checkReportFlag(a.report, a.out);
        if (a.reps === undefined && a.threads !== undefined) throw InputError.at(undefined, '--threads', 'applies only with --reps: a single replication runs in this thread');
        if (a.reps === undefined) await (await commands.run()).runCommand(a as never, argv);
        else await (await commands.compare()).distributionCommand(a as never, argv);
        if (a.report) process.stderr.write((await report.reportCommand(a.out!)) + '\n');
      },
    )
    .command(
      'compare',
      'Compare scenarios with a baseline as outcome distributions over replications on worker threads',
      (y) =>
        worldOptions(commonOptions(y))
          .option('scenarios', { type: 'string', demandOption: true, describe: 'Comma-separated built-in names or files, or `all` for every built-in scenario' })
          .option('baseline', { type: 'string', default: 'baseline', describe: 'The scenario to compare against' })
          .option('reps', { type: 'string', describe: 'Replications per scenario (default 20; intervals and tests need at least 2, BCa 3)' })
          .option('adjust', { type: 'string', default: 'holm', describe: 'Multiplicity adjustment of the paired tests over the family of every scenario x outcome: holm (family-wise error), bh (Benjamini-Hochberg q-values) or none' })
          .option('threads', { type: 'string', describe: 'Worker threads (default: the available cores)' })
          .option('posterior', { type: 'string', describe: 'A parameter sample written by `calibrate` (e.g. scenarios/calibration/posterior.json): each replication runs with one draw, the same in every scenario, so intervals include calibration uncertainty' })
          .example('$0 compare --scenarios incentivise-high-performers,funding-withdrawn --reps 60 --seed 3', 'Two policies against the baseline')
          .example('$0 compare --scenarios all --reps 40 --out results/', 'Every built-in policy, written to results/'),
      async (a) => {
        const report = await commands.report();
        report.checkReportFlag(a.report, a.out);
        await (await commands.compare()).compareCommand(a as never, argv);
        if (a.report) process.stderr.write((await report.reportCommand(a.out!)) + '\n');
      },
    )
    .command(
      'report <dir>',
      'Draw charts (vega-lite, SVG, PNG) and a self-contained offline HTML report from results saved with --out',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'A folder written by run, compare or sweep with --out' })
          .example('$0 compare --scenarios funding-withdrawn --reps 20 --out out && $0 report out', 'Charts and out/report.html'),
      async (a) => {
        process.stdout.write((await (await commands.report()).reportCommand(a.dir as string)) + '\n');
      },
    )
    .command(
      'scenarios [action] [name]',
      'List the built-in scenarios, or `scenarios show NAME` to print one resolved as YAML',
      (y) =>
        y
          .positional('action', { choices: ['list', 'show'] as const, default: 'list', describe: 'list, or show NAME' })
          .positional('name', { type: 'string', describe: 'Scenario name or file (for show)' }),
      async (a) => {
        const sc = await commands.scenarios();
        if (a.action === 'show') {
          if (!a.name) throw InputError.at(undefined, 'scenarios show', 'expected a scenario name or file, e.g. `partnersim scenarios show baseline`');
          process.stdout.write(sc.showScenario(a.name));
        } else process.stdout.write(sc.listScenarios() + '\n');
      },
    )
    .command(
      'validate <file>',
      'Check a scenario file against the schema without running it',
      (y) => y.positional('file', { type: 'string', demandOption: true, describe: 'Scenario file (.yaml or .json)' }),
      async (a) => {
        process.stdout.write((await commands.scenarios()).validateFile(a.file as string) + '\n');
      },
    )
    .command(
      'calibrate',
      "Fit the baseline's free parameters to the NAO survey's figures (method of simulated moments), or --evaluate the current baseline",
      (y) =>
        y
          .option('evaluate', { type: 'boolean', default: false, describe: 'Only evaluate the current baseline against every target, on seeds not used by the fit' })
          .option('json', { type: 'boolean', default: false, describe: 'With --evaluate: print one JSON document (each target with its kind, J, df, converged)' })
          .option('reps', { type: 'string', describe: 'Replications per evaluation (default 8 for --evaluate, 4 for a fit)' })
          .option('threads', { type: 'string', describe: 'Worker threads (default: the available cores for --evaluate; 0, this thread, for a fit)' })
          .option('seed', { type: 'string', describe: 'Seed (default 1 for --evaluate, 1001 for a fit: the evaluation is on fresh replications)' })
          .option('schools', { type: 'string', describe: 'Schools in the synthetic England (default 3,300)' })
          .option('budget', { type: 'string', describe: 'Fit: most evaluations of the moments in the search (default 400; the Jacobian adds 2 per parameter)' })
          .option('write', { type: 'string', describe: 'Fit: scenario file to write the fitted values into (default: the built-in baseline)' })
          .option('newton', { type: 'string', describe: 'Fit: Levenberg-Marquardt iterations from the current values before the simplex (default 4; 0 for none)' })
          .option('quick', { type: 'boolean', default: false, describe: 'Fit: for a slow machine: standard errors from the last Levenberg-Marquardt Jacobian, no extra seeds for J\'s noise, a shorter bisection' })
          .option('design', { type: 'string', describe: 'Fit: Latin hypercube points tried besides that start (default 0; some for a fresh start far from the answer)' })
          .option('step', { type: 'string', describe: 'Fit: initial simplex edge as a share of each parameter box (default 0.05)' })
          .option('xtol', { type: 'string', describe: 'Fit: convergence when the simplex is within this share of every box side (default 0.01)...' })
          .option('ftol', { type: 'string', describe: '...and its J values within this of the best, or twice J\'s simulation SD if larger (default 0.5)' })
          .option('posterior-out', { type: 'string', describe: 'Fit: where to write the parameter sample for `compare --posterior` (default: scenarios/calibration/posterior.json)' })
          .example('$0 calibrate --evaluate', 'How the baseline compares with the report')
          .example('$0 calibrate --budget 400', 'Refit; write scenarios/baseline.yaml and the parameter sample'),
      async (a) => (await commands.calibrate()).calibrateCommand(a as never),
    )
    .command(
      'workshop',
      'Write the workshop page: one offline HTML file that runs the simulator in the browser, with levers and live charts',
      (y) =>
        y
          .option('out', { type: 'string', describe: 'The HTML file to write (default partnersim-workshop.html)' })
          .option('open', { type: 'boolean', default: false, describe: 'Open it in the default browser' })
          .example('$0 workshop --out workshop.html --open', 'Write the page and open it'),
      async (a) => {
        process.stdout.write((await commands.workshop()).workshopCommand(a as never) + '\n');
      },
    )
    .command(
      'survey',
      'The virtual NAO survey: 398 schools sampled at the survey date, the NAO analyses, and the true effects beside them',
      (y) =>
        y
          .option('reps', { type: 'string', describe: 'Replications: repeated surveys, for the spread of conclusions (default 20)' })
          .option('threads', { type: 'string', describe: 'Worker threads (default: the available cores)' })
          .option('seed', { type: 'string', describe: 'Seed (default 1)' })
          .option('schools', { type: 'string', describe: 'Schools in the synthetic England (default 3,300)' })
          .option('at', { type: 'string', describe: 'Survey date in academic years (default 2008.4, January-February 2009)' })
          .option('sample', { type: 'string', describe: 'Schools sampled (default 398 at 3,300 schools, in proportion)' })
          .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document' })
          .example('$0 survey', 'The survey as the NAO ran it')
          .example('$0 survey --at 2013.4', 'The same survey four years later, when effects have grown'),
      async (a) => (await commands.survey()).surveyCommand(a as never, argv),
    );
  // sweep, merge and sensitivity are registered by their own module.
  return registerRobustCommands(registerSweepCommands(core, argv), argv)
    .demandCommand(1, 'expected a command; run `partnersim --help` for the list')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    // Named here: the bundled CLI gives yargs no package.json of its own to find.
    .version((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version)
    .epilog(MSG.epilog)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .middleware((a) => {
      // A text seed is only ever asked for explicitly; it reaches the commands wrapped (see seedValue).
      if (a.seedString === undefined) return;
      if (a.seed !== undefined) throw InputError.at(undefined, '--seed-string', 'give either --seed (a whole number) or --seed-string (text), not both');
      if (typeof a.seedString !== 'string') throw InputError.at(undefined, '--seed-string', 'expected one text seed');
      a.seed = { seedString: a.seedString };
    })
    .fail((msg, err) => {
      // Errors thrown by handlers pass through; yargs' own usage errors become InputErrors (exit 2).
      if (err) throw err;
      throw new InputError(msg);
    });
}

/**
 * yargs renders a command's whole help text as its handler starts (kept for failure
 * messages that show help), which costs tens of milliseconds before every command's
 * first step. Our `.fail` never shows help, so that text is never read: skip it.
 * `--help` renders its text when asked, as before (tests/cli/cli.test.ts).
 */
function skipHelpCache(y: Argv): Argv {
  const internal = (y as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
  return y;
}

/** Run the CLI and return the exit code. */
export async function main(argv: string[]): Promise<number> {
  // An interrupted command says what it kept and how to resume (committed sweep runs
  // survive in the database; every output file is written whole or not at all).
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(signalMessage(signal, argv));
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (process.env.npm_lifecycle_event === 'start') process.stderr.write(MSG.npmStart + '\n');
  try {
    await skipHelpCache(buildCli(argv)).parseAsync();
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`partnersim: ${e.message}\n${e.file === undefined && e.field === undefined ? "Run 'partnersim --help' (or 'partnersim COMMAND --help') for usage.\n" : ''}`);
      return 2;
    }
    const env = environmentCode(e);
    if (env !== undefined) {
      process.stderr.write(environmentMessage(env, e, argv));
      return EXIT_ENVIRONMENT;
    }
    process.stderr.write(`${MSG.internal}\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
