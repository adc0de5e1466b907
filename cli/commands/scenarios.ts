/**
 * `partnersim scenarios` lists the built-in scenarios; `scenarios show NAME` prints
 * one fully resolved (extends applied, every parameter present) as YAML;
 * `partnersim validate FILE` checks a scenario file without running it.
 */
import { stringify } from 'yaml';
import { builtinNames, loadScenario, resolvedDocument } from '../../scenarios/loader.js';
import { layout } from '../../analysis/output/table.js';
import { MSG } from '../messages.js';

export function listScenarios(): string {
  const rows = builtinNames().map((n) => {
    const s = loadScenario(n);
    const first = s.description.split(/(?<=\.)\s/)[0];
    return [n, first.length > 100 ? `${first.slice(0, 97)}...` : first];
  });
  return `${layout(rows, ['scenario', 'description'], 'll')}\n\nShow one in full: partnersim scenarios show NAME`;
}

export function showScenario(ref: string): string {
  const s = loadScenario(ref);
  return `# ${s.name}: resolved from ${s.chain.join(' -> ')} (hash ${s.hash.slice(0, 12)})\n${stringify(resolvedDocument(s), { lineWidth: 100 })}`;
}

export function validateFile(file: string): string {
  const s = loadScenario(file);
  return MSG.validOk(file, s.name);
}
