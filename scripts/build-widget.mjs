#!/usr/bin/env node
/*
 * The visitor widget's production files: `node scripts/build-widget.mjs [--out DIR]`.
 *
 * The ES modules in web/messenger/ and web/shared/ stay the source (served as they are with
 * CHAT_WIDGET_SOURCE=1); this writes what a host page loads by default, into web/messenger/dist/ (committed):
 *   loader.js               what /messenger.js serves (short-cached); names the hashed frame page
 *   frame.<hash>.html       the iframe's page, referencing
 *   frame.<hash>.js         every module of the widget in one minified ES module
 *   frame.<hash>.css        its stylesheet, minified
 * and a .br and a .gz beside each (brotli 11, gzip 9), served by Accept-Encoding. Names carry the first
 * 8 hex digits of the SHA-256 of the content, so the server caches them for a year. The same sources give
 * byte-identical files; anything else in the folder is removed. tests/web/test_widget_build.py fails when
 * the committed folder is stale.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { build, transform } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'web', 'messenger');
const URL_BASE = '/messenger/dist/';
// The literals in the sources that the build points at the production files (each must occur once).
const LOADER_FRAME = "'/messenger/frame.html'";
const FRAME_STYLES = '/messenger/styles/messenger.css';
const FRAME_SCRIPT = '/messenger/main.js';

/** @param {string[]} argv */
function outDir(argv) {
  const at = argv.indexOf('--out');
  if (at === -1) return path.join(SOURCE, 'dist');
  if (!argv[at + 1]) throw new Error('--out needs a folder');
  return path.resolve(argv[at + 1]);
}

/** @param {Uint8Array|string} content */
function hashed(stem, ext, content) {
  return `${stem}.${createHash('sha256').update(content).digest('hex').slice(0, 8)}.${ext}`;
}

/** @param {string} text @param {string} literal @param {string} replacement @param {string} where */
function replaceOnce(text, literal, replacement, where) {
  const count = text.split(literal).length - 1;
  if (count !== 1) throw new Error(`${where}: expected ${literal} exactly once, found it ${count} times`);
  return text.replace(literal, () => replacement);
}

/** One entry point, bundled and minified in memory. @param {import('esbuild').BuildOptions} options */
async function bundle(options) {
  const result = await build({
    absWorkingDir: ROOT, bundle: true, minify: true, write: false, legalComments: 'none',
    sourcemap: false, logLevel: 'warning', ...options,
  });
  if (result.outputFiles.length !== 1) throw new Error(`expected one output, got ${result.outputFiles.length}`);
  return Buffer.from(result.outputFiles[0].contents);
}

/** @param {Buffer} data */
function brotli(data) {
  const p = zlib.constants;
  return zlib.brotliCompressSync(data, { params: {
    [p.BROTLI_PARAM_QUALITY]: p.BROTLI_MAX_QUALITY, [p.BROTLI_PARAM_MODE]: p.BROTLI_MODE_TEXT,
    [p.BROTLI_PARAM_SIZE_HINT]: data.length } });
}

/** @param {Buffer} data */
function gzip(data) {
  const out = zlib.gzipSync(data, { level: 9, memLevel: 9 });
  out[9] = 255; // the header's OS byte depends on where zlib was compiled: "unknown" everywhere
  return out;
}

async function main() {
  const out = outDir(process.argv.slice(2));
  /** @type {Map<string, Buffer>} */
  const files = new Map();

  const script = await bundle({ entryPoints: ['web/messenger/main.js'], format: 'esm', target: 'es2022',
                                platform: 'browser' });
  const styles = await bundle({ entryPoints: ['web/messenger/styles/messenger.css'] });
  const scriptName = hashed('frame', 'js', script);
  const stylesName = hashed('frame', 'css', styles);
  files.set(scriptName, script).set(stylesName, styles);

  // A checkout may have turned the source's line ends into CRLF: the page is the same either way.
  let html = fs.readFileSync(path.join(SOURCE, 'frame.html'), 'utf8').replace(/\r\n/g, '\n');
  html = replaceOnce(html, FRAME_STYLES, URL_BASE + stylesName, 'web/messenger/frame.html');
  html = replaceOnce(html, FRAME_SCRIPT, URL_BASE + scriptName, 'web/messenger/frame.html');
  const page = Buffer.from(html, 'utf8');
  const pageName = hashed('frame', 'html', page);
  files.set(pageName, page);

  const loaderSource = replaceOnce(fs.readFileSync(path.join(SOURCE, 'loader.js'), 'utf8'), LOADER_FRAME,
                                   `'${URL_BASE}${pageName}'`, 'web/messenger/loader.js');
  // ES5 on purpose: the loader runs on every page of the site, in whatever browser comes along; one too
  // old for the frame's ES2022 fails inside the iframe, never with an error on the host page.
  const loader = await transform(loaderSource, { loader: 'js', minify: true, target: 'es5', legalComments: 'none',
                                                 charset: 'ascii' });
  files.set('loader.js', Buffer.from(loader.code, 'utf8'));

  for (const [name, data] of [...files]) {
    files.set(`${name}.br`, brotli(data)).set(`${name}.gz`, gzip(data));
  }

  fs.mkdirSync(out, { recursive: true });
  for (const entry of fs.readdirSync(out, { withFileTypes: true })) {
    if (!files.has(entry.name)) fs.rmSync(path.join(out, entry.name), { recursive: true, force: true });
  }
  for (const [name, data] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target = path.join(out, name);
    // Unchanged files keep their modification time (the server's Last-Modified).
    if (fs.existsSync(target) && fs.readFileSync(target).equals(data)) continue;
    fs.writeFileSync(target, data);
  }

  const rows = [...files].filter(([name]) => !/\.(br|gz)$/.test(name)).map(([name, data]) =>
    `${name.padEnd(24)} ${String(data.length).padStart(7)} B  gzip ${String(files.get(`${name}.gz`)?.length).padStart(6)}`
    + `  br ${String(files.get(`${name}.br`)?.length).padStart(6)}`);
  const where = path.relative(ROOT, out);
  process.stdout.write(`${where.startsWith('..') ? out : where}:\n  ${rows.join('\n  ')}\n`);
}

main().catch((err) => {
  process.stderr.write(`build-widget: ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
