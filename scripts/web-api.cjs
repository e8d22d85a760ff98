// The web app's typed API client comes from the API's OpenAPI document: this writes the document (from the
// Nest app's metadata, no database needed) and turns it into apps/web/src/api/schema.d.ts with
// openapi-typescript. A changed DTO then fails the web app's type-check wherever the app relies on it.
//   node scripts/web-api.cjs           regenerate schema.d.ts (commit it)
//   node scripts/web-api.cjs --check   fail if the committed schema.d.ts is not what the API describes
// (`npm run lint` runs the check.)
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const target = join(root, 'apps/web/src/api/schema.d.ts');
const check = process.argv.includes('--check');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(result.stderr || result.stdout);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

const work = mkdtempSync(join(tmpdir(), 'tre-web-api-'));
try {
  const documentFile = join(work, 'openapi.json');
  writeFileSync(
    documentFile,
    run(process.execPath, ['-r', './libs/testing/swc-register.cjs', 'apps/api/src/openapi/print-openapi.ts']),
  );
  const generated = join(work, 'schema.d.ts');
  run(join(root, 'node_modules/.bin/openapi-typescript'), [
    documentFile,
    '--output',
    generated,
    '--alphabetize',
  ]);
  const text = readFileSync(generated, 'utf8');
  if (check) {
    let committed = '';
    try {
      committed = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== text) {
      process.stderr.write(
        'apps/web/src/api/schema.d.ts does not match the API: run `npm run web:api` and commit the result\n',
      );
      process.exit(1);
    }
    process.stderr.write('apps/web/src/api/schema.d.ts matches the API\n');
  } else {
    writeFileSync(target, text);
    process.stderr.write('wrote apps/web/src/api/schema.d.ts\n');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
