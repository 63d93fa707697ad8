#!/usr/bin/env node
"use strict";
/*
 * The `nucleon` command. Registers @swc-node/register when it can be found
 * (from the project first, then beside nucleon) so `nucleon.config.ts` and
 * `*.service.ts` load without a build step; then runs the runner: its
 * TypeScript source in this repository, the compiled one in the package.
 */
const { existsSync } = require("node:fs");
const { join } = require("node:path");

function registerTypeScript() {
  let register;
  try {
    register = require.resolve("@swc-node/register", { paths: [process.cwd(), __dirname] });
  } catch {
    return false; // production: compiled .js services and config
  }
  require(register);
  return true;
}

const typescript = registerTypeScript();
const source = join(__dirname, "..", "lib", "cli", "runner", "main.ts");
const compiled = join(__dirname, "..", "dist", "cli", "runner", "main.js");
const entry = typescript && existsSync(source) ? source : compiled;

require("reflect-metadata");
require(entry)
  .main()
  .catch((err) => {
    process.stderr.write(`[nucleon] ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
