#!/usr/bin/env node
// The CLI compiled by `npm run build` (run by `npm ci` through `prepare`).
import "../dist/cli.js";
