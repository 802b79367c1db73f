/**
 * What the built client makes a browser download, read from Vite's build
 * manifest (dist/.vite/manifest.json): the chunks an entry loads at once
 * (its static imports, followed transitively) and, for a screen loaded on
 * demand, the chunks it adds. Sizes are gzip, as a browser receives them.
 * Used by the bundle-size test and the benchmark.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface ChunkSet {
  /** The built files, e.g. "assets/index-C6mY_Zu2.js". */
  files: string[];
  /** Their summed gzip size in bytes (each file gzipped on its own, as served). */
  gzipBytes: number;
}

export function readManifest(distDir: string): Manifest {
  const file = path.join(distDir, '.vite', 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the client first (npm run build)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

/** A chunk and every chunk it imports statically, in load order. */
function staticClosure(manifest: Manifest, key: string, seen = new Set<string>()): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`the build manifest has no chunk "${key}"`);
  return [key, ...(chunk.imports ?? []).flatMap((imported) => staticClosure(manifest, imported, seen))];
}

function gzipSize(distDir: string, files: string[]): number {
  return files.reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(path.join(distDir, file))).length, 0);
}

/** The JavaScript a first visit loads before anything else: the HTML entry and its static imports. */
export function initialJs(distDir: string, entry = 'index.html'): ChunkSet {
  const manifest = readManifest(distDir);
  if (!manifest[entry]?.isEntry) throw new Error(`"${entry}" is not an entry of the build`);
  const files = staticClosure(manifest, entry).map((key) => manifest[key].file);
  return { files, gzipBytes: gzipSize(distDir, files) };
}

/** What opening a screen loaded on demand (its source file, e.g. "src/app/BoardScreen.tsx") adds to the initial JS. */
export function screenJs(distDir: string, source: string, entry = 'index.html'): ChunkSet {
  const manifest = readManifest(distDir);
  const initial = new Set(staticClosure(manifest, entry));
  if (!manifest[entry].dynamicImports?.includes(source) && !manifest[source]) {
    throw new Error(`"${source}" is not a chunk of the build`);
  }
  const files = staticClosure(manifest, source)
    .filter((key) => !initial.has(key))
    .map((key) => manifest[key].file);
  return { files, gzipBytes: gzipSize(distDir, files) };
}
