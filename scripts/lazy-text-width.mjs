// An esbuild plugin for the bundle of scripts/build.mjs. yargs's text-width helpers
// (string-width, in two versions and three copies) build an Intl.Segmenter and a
// \p{RGI_Emoji} pattern when their module loads: about 10 ms each on the bench machine,
// before the first step of every command, for help text and error messages only. In the
// bundle both are made on first use instead, with the same calls on them. A copy of
// string-width without a top-level Segmenter fails the build rather than quietly losing
// the saving. tests/cli/startup.test.ts checks the bundle has neither at top level and
// that the rewritten modules measure every kind of text as the originals do.
import { readFileSync } from 'node:fs';

const LAZY = [
  ['const segmenter = new Intl.Segmenter();', 'let segmenterMade; const segmenter = { segment: (s) => (segmenterMade ??= new Intl.Segmenter()).segment(s) };'],
  ['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', "let rgiEmojiMade; const rgiEmojiRegex = { test: (s) => (rgiEmojiMade ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(s) };"],
];

/** string-width's source with its Segmenter (and RGI emoji pattern, where it has one) made on first use. */
export function lazyTextWidthSource(path) {
  let src = readFileSync(path, 'utf8');
  if (!src.includes(LAZY[0][0])) throw new Error(`${path}: no top-level Intl.Segmenter to defer (has string-width changed?)`);
  for (const [from, to] of LAZY) src = src.replace(from, () => to);
  return src;
}

export const lazyTextWidth = {
  name: 'lazy-text-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => ({ contents: lazyTextWidthSource(args.path), loader: 'js' }));
  },
};
