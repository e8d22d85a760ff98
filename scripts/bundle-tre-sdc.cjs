// Bundles `tre sdc` (apps/cli/src/tre-sdc.ts with commander and @tre/sdc) into one file that runs with nothing
// but a node binary: no node_modules, no dist/libs. `npm run build` writes it to dist/tre-sdc.js; the
// Dockerfile puts it, with the image's node and the `tre` wrapper (apps/cli/tool-kit/tre), where the workspace
// tool's init container copies from (libs/workspaces/src/manifests/tool-kit.ts). Node 20 is the target, as the
// service image's node. Usage: node scripts/bundle-tre-sdc.cjs [outfile]
'use strict';
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const root = join(__dirname, '..');

function bundleTreSdc(outfile) {
  buildSync({
    entryPoints: [join(root, 'apps/cli/src/tre-sdc.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Resolves @tre/<lib> through tsconfig.json's paths, as tsc does.
    tsconfig: join(root, 'tsconfig.json'),
    legalComments: 'none',
    logLevel: 'warning',
  });
}

module.exports = { bundleTreSdc };

if (require.main === module) bundleTreSdc(process.argv[2] || join(root, 'dist/tre-sdc.js'));
