#!/usr/bin/env node
/** Entry point of the `partnersim` command. */
import { main } from './cli.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
