// `npm run build` compiles every app, lib and benchmark to dist/, bundles `tre sdc` to dist/tre-sdc.js, builds the web app (apps/web, with Vite) to
// dist/web, and stamps the build. With `--if-stale` it
// compiles only when a source changed since the last stamped build, so `npm run tre -- ...` starts in a fraction
// of a second instead of compiling the whole project on every call. A change is any file or folder the build
// reads (a deleted file changes its folder) or a build setting newer than the stamp.
// Everything this prints goes to stderr: stdout belongs to the command that runs next.
'use strict';
const { spawnSync } = require('node:child_process');
const { closeSync, existsSync, openSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const sources = ['apps', 'libs', 'bench'];
const settings = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time (ms) of a folder and everything in it that tsconfig.build.json compiles. */
function newest(path) {
  let latest = statSync(path).mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.name.endsWith('.spec.ts') || child === join(root, 'libs/testing')) continue;
    latest = Math.max(latest, entry.isDirectory() ? newest(child) : statSync(child).mtimeMs);
  }
  return latest;
}

function stale() {
  if (!existsSync(stamp) || !existsSync(join(root, 'dist/apps/cli/src/main.js'))) return true;
  if (!existsSync(join(root, 'dist/web/index.html'))) return true;
  if (!existsSync(join(root, 'dist/tre-sdc.js'))) return true;
  const changed = Math.max(
    ...sources.map((dir) => newest(join(root, dir))),
    ...settings.map((file) => statSync(join(root, file)).mtimeMs),
  );
  return changed > statSync(stamp).mtimeMs;
}

function run(tool, args) {
  const result = spawnSync(join(root, 'node_modules/.bin', tool), args, {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!process.argv.includes('--if-stale') || stale()) {
  // Stamped with the time the build started: a file saved during the build makes the next call build again.
  const started = new Date();
  if (process.argv.includes('--if-stale'))
    process.stderr.write('sources changed since the last build: building ...\n');
  run('tsc', ['-p', 'tsconfig.build.json']);
  run('tsc-alias', ['-p', 'tsconfig.build.json']);
  // `tre sdc` as one self-contained file, for the workspaces' tools (Dockerfile, tool-kit.ts).
  require('./bundle-tre-sdc.cjs').bundleTreSdc(join(root, 'dist/tre-sdc.js'));
  run('vite', ['build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn']);
  closeSync(openSync(stamp, 'w'));
  utimesSync(stamp, started, started);
}
