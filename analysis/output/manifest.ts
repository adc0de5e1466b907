/**
 * The provenance manifest written with every result: what was run, with which
 * resolved parameters and seeds, by which version, so the result can be reproduced
 * (README: "Reproducing a run").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATOR, keyString } from '../../sim/rng.js';
import { STREAMS } from '../../sim/model.js';
import { packageRoot } from '../../scenarios/yaml-path.js';
import { resolvedDocument, type ResolvedScenario, type RunSpec } from '../../scenarios/loader.js';

/** The package version. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export interface ManifestInput {
  kind: 'run' | 'compare' | 'sweep' | 'calibrate' | 'survey' | 'robust';
  /** The command line that reproduces the result (without the executable). */
  command: string[];
  seed: number | string;
  run: RunSpec;
  scenarios: ResolvedScenario[];
  replications?: number;
  threads?: number;
  world?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/**
 * Build a manifest. `timestamps` false leaves out the start time and anything else
 * that differs between identical runs (used for --json on stdout).
 */
export function buildManifest(m: ManifestInput, timestamps: boolean): Record<string, unknown> {
  return {
    tool: 'partnersim',
    version: packageVersion(),
    kind: m.kind,
    command: ['partnersim', ...withoutThreads(m.command)].join(' '),
    seed: m.seed,
    generator: GENERATOR,
    seedKey: {
      pattern: keyString({ seed: m.seed, point: '{point}', replication: -1, stream: '{stream}' }).replace('rep=-1', 'rep={replication}'),
      streams: [...STREAMS],
      note: 'The scenario is deliberately not in the key: replication i of every scenario shares its world and shocks (common random numbers).',
    },
    run: m.run,
    ...(m.replications !== undefined ? { replications: m.replications } : {}),
    ...(m.threads !== undefined && timestamps ? { threads: m.threads } : {}),
    world: m.world ?? { kind: 'synthetic', schools: m.run.schools },
    scenarios: m.scenarios.map((s) => ({ name: s.name, source: s.source, chain: s.chain, hash: s.hash, resolved: resolvedDocument(s) })),
    ...(m.extra ?? {}),
    node: process.version,
    ...(timestamps ? { startedAt: new Date().toISOString(), platform: `${process.platform}-${process.arch}` } : {}),
  };
}

/** The command without --threads: thread count never changes results, so it is not part of what reproduces them. */
export function withoutThreads(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--threads') {
      i++;
      continue;
    }
    if (argv[i].startsWith('--threads=')) continue;
    out.push(argv[i]);
  }
  return out;
}
