// Builds the widget into widget/dist: loader.js (iife, the embed script),
// window.{html,js,css} (the chat window page). Skips work when dist is newer than
// every source, so `npm start` can call it on each boot.
//   node widget/build.mjs            build if stale
//   node widget/build.mjs --force    always build
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.join(here, 'dist');
export const OUTPUTS = ['loader.js', 'window.html', 'window.js', 'window.css'];
const SOURCES = [path.join(here, 'src'), path.join(here, 'window.html'), fileURLToPath(import.meta.url), path.join(here, '..', 'protocol')];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

/** True when an output is missing or older than any source. */
export function isStale() {
  let oldest = Infinity;
  for (const f of OUTPUTS) {
    const p = path.join(DIST, f);
    if (!fs.existsSync(p)) return true;
    oldest = Math.min(oldest, fs.statSync(p).mtimeMs);
  }
  return SOURCES.some((s) => newestMtime(s) > oldest);
}

const common = { bundle: true, minify: true, target: 'es2019', format: 'iife', legalComments: 'none', charset: 'utf8', logLevel: 'warning' };

/** Build into dist; returns the gzipped sizes. */
export async function buildWidget({ force = false } = {}) {
  if (!force && !isStale()) return { built: false, sizes: measure() };
  fs.mkdirSync(DIST, { recursive: true });
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [path.join(here, 'src/loader.ts')], outfile: path.join(DIST, 'loader.js') }),
    esbuild.build({ ...common, entryPoints: [path.join(here, 'src/window/main.ts')], outfile: path.join(DIST, 'window.js') }),
    esbuild.build({ ...common, bundle: true, loader: { '.css': 'css' }, entryPoints: [path.join(here, 'src/window/window.css')], outfile: path.join(DIST, 'window.css') }),
  ]);
  const html = fs.readFileSync(path.join(here, 'window.html'), 'utf8').replace(/>\s+</g, '><').trim();
  fs.writeFileSync(path.join(DIST, 'window.html'), html);
  return { built: true, sizes: measure() };
}

/** Raw and gzipped byte sizes of each output and of the chat window as a whole. */
export function measure() {
  const sizes = {};
  for (const f of OUTPUTS) {
    const p = path.join(DIST, f);
    if (!fs.existsSync(p)) continue;
    const body = fs.readFileSync(p);
    sizes[f] = { raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length };
  }
  const win = ['window.html', 'window.js', 'window.css'].reduce((n, f) => n + (sizes[f]?.gzip ?? 0), 0);
  return { files: sizes, loaderGzip: sizes['loader.js']?.gzip ?? 0, windowGzip: win };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { built, sizes } = await buildWidget({ force: process.argv.includes('--force') });
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`widget ${built ? 'built' : 'up to date'}: loader.js ${kb(sizes.loaderGzip)} gz, window ${kb(sizes.windowGzip)} gz`);
}
