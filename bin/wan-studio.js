#!/usr/bin/env node
// Launcher for the built CLI. It checks the Node version first: the library's SQLite binding
// needs Node-API 10 (Node >= 22.12) and would crash on an older Node instead of explaining.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`wan-studio needs Node.js 22.12 or newer; this is ${process.version}. Install a current Node.js (https://nodejs.org) and try again.`);
  process.exit(1);
}
const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error(`wan-studio is not built yet. Run "npm run build" in ${fileURLToPath(new URL('..', import.meta.url))} first.`);
  process.exit(1);
}
await import(cli.href);
