#!/usr/bin/env bash
# Regenerate the README's workshop screenshots (docs/workshop-1280x720.png and
# docs/workshop-1920x1080.png): they are taken by the workshop browser test.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
WORKSHOP_SCREENSHOTS=docs npx vitest run tests/workshop/browser.test.ts
ls -l docs/workshop-1280x720.png docs/workshop-1920x1080.png
