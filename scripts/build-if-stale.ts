/**
 * Run before `npm start`: builds the client when dist/ is missing or older
 * than any of its sources, so a fresh clone or a `git pull` just works.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

// Vite keeps a NODE_ENV it finds, and vitest sets it to "test": without this
// a build started from a test would be React's slow development build.
process.env.NODE_ENV = 'production';

const root = path.resolve(import.meta.dirname, '..');
const builtPage = path.join(root, 'dist', 'index.html');
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

function newestChange(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestChange(path.join(target, entry)));
  return newest;
}

const builtAt = fs.existsSync(builtPage) ? fs.statSync(builtPage).mtimeMs : 0;
const changedAt = Math.max(...sources.map((source) => newestChange(path.join(root, source))));
if (builtAt >= changedAt) {
  console.log('client build is up to date');
} else {
  console.log(builtAt === 0 ? 'building the client (first start)…' : 'sources changed: rebuilding the client…');
  await build({ root, logLevel: 'warn' });
  console.log('client built');
}
