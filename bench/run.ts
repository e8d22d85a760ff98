import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench` runs every benchmark (each folder of bench/ with a main.ts), `npm run bench -- NAME [args]`
 * one of them. Each benchmark prints one line per figure, `name: value unit`.
 */
function main(): number {
  const [only, ...rest] = process.argv.slice(2);
  const available = readdirSync(__dirname, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(__dirname, entry.name, 'main.js')))
    .map((entry) => entry.name)
    .sort();
  if (only && !available.includes(only)) {
    process.stderr.write(`no benchmark "${only}"; there are: ${available.join(', ')}\n`);
    return 2;
  }
  let failed = 0;
  for (const name of only ? [only] : available) {
    const result = spawnSync(process.execPath, [join(__dirname, name, 'main.js'), ...(only ? rest : [])], {
      stdio: 'inherit',
    });
    if (result.status !== 0) {
      process.stderr.write(`benchmark ${name} failed (exit ${result.status ?? result.signal})\n`);
      failed += 1;
    }
  }
  return failed ? 1 : 0;
}

process.exit(main());
