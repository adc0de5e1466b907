/**
 * Built-in scenarios parsed at build time (scenarios/loader.ts, dist/scenarios/builtin-docs.json,
 * written by `npm run build`, which `npm test` runs first): served only for the exact text
 * parsed then, and equal to parsing the file now.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinNames, cachedBuiltinDoc } from '../../scenarios/loader.js';
import { parseScenarioText } from '../../scenarios/resolve.js';
import { scenarioValidator } from '../../scenarios/validator.js';
import { builtinDir } from '../../scenarios/yaml-path.js';

describe('built-in scenarios parsed at build time', () => {
  it('give every built-in the document parsing its file now gives, and nothing for other text or files', () => {
    const validator = scenarioValidator();
    for (const name of builtinNames()) {
      const file = join(builtinDir(), `${name}.yaml`);
      const text = readFileSync(file, 'utf8');
      const cached = cachedBuiltinDoc(file, text);
      expect(cached, name).toBeDefined();
      expect(cached).toEqual(parseScenarioText(text, file, () => validator));
      // Edited text, or the same text in another folder, is parsed afresh.
      expect(cachedBuiltinDoc(file, `${text}\n# edited\n`)).toBeUndefined();
      expect(cachedBuiltinDoc(join('/tmp', `${name}.yaml`), text)).toBeUndefined();
    }
    // Each call hands out its own copy: changing one does not change the next.
    const file = join(builtinDir(), 'baseline.yaml');
    const text = readFileSync(file, 'utf8');
    const a = cachedBuiltinDoc(file, text)!;
    a.name = 'changed';
    expect(cachedBuiltinDoc(file, text)!.name).toBe('baseline');
  });
});
