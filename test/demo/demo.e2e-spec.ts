import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, setUpTestEnvironment, type TestEnvironment } from '@tre/testing';

/**
 * `npm run demo` as a person runs it: the built CLI (`npm run build` first, as CI does before the tests) on
 * this file's own database, queue prefix and folders. The demo throws at the first step that does not do
 * what it narrates; here the airlock's story is checked besides: the table `tre sdc` built from the extract
 * is verified against it, in the request and in the release manifest, and the same table edited by hand is
 * blocked by the rebuild.
 */
const MAIN = join(REPO_ROOT, 'dist/apps/cli/src/main.js');

let env: TestEnvironment;
let dataHome: string;
let output = '';
let code: number | null = null;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build before this test`);
  env = await setUpTestEnvironment();
  // The extract store and the demo's other default folders: this file's own, never the user's.
  dataHome = mkdtempSync(join(tmpdir(), 'tre-demo-test-'));
  const child = spawn(process.execPath, [MAIN, 'demo'], {
    env: { ...process.env, XDG_DATA_HOME: dataHome, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  code = await new Promise<number | null>((resolve) => child.once('close', resolve));
}, 420_000);

afterAll(async () => {
  await env?.teardown();
  if (dataHome) rmSync(dataHome, { recursive: true, force: true });
});

/** The narration of one chapter, by words of its title. */
function chapter(title: string): string {
  const start = output.indexOf(title);
  if (start < 0) throw new Error(`no chapter "${title}" in the demo's output:\n${output.slice(-4000)}`);
  const next = output.slice(start).search(/\n\d+\. /);
  return next < 0 ? output.slice(start) : output.slice(start, start + next);
}

describe('npm run demo', () => {
  it('tells the whole story and exits 0', () => {
    expect({ code, tail: output.slice(-2000) }).toEqual({
      code: 0,
      tail: expect.stringContaining('Demo complete.'),
    });
  });

  it('builds the table with tre sdc over the extract file; verified against the extract, blocked for small cells', () => {
    const text = chapter('builds a table from the extract with `tre sdc`');
    expect(text).toMatch(/tre sdc table --data \$TRE_DATA_DIR\/GP_REGISTRATIONS\.csv/);
    expect(text).toMatch(/the record names its source GP_REGISTRATIONS\.csv sha256 [0-9a-f]{12}/);
    expect(text).toContain('verified against the extract (GP_REGISTRATIONS.csv), and still blocked');
    expect(text).toMatch(/BLOCKED threshold/);
  });

  it('releases the suppressed table with its provenance and the verified mark in the manifest', () => {
    expect(chapter('Rebuilt with `tre sdc --suppress`')).toMatch(
      /check review; verified against the extract \(GP_REGISTRATIONS\.csv\); in review/,
    );
    expect(chapter('The bundle is released')).toMatch(
      /manifest 1\.2\.0: tables\/registrations\.csv left workspace [0-9a-f-]{36} from tables\/registrations\.csv \(collected by a local-process, sha256 [0-9a-f]{12}…\); verified against the extract \(GP_REGISTRATIONS\.csv\)/,
    );
  });

  it('blocks the same table edited by hand afterwards: the rebuild from the extract names the cell', () => {
    const text = chapter('The same table edited afterwards');
    expect(text).toContain('the table is not the one its record describes');
    expect(text).toMatch(
      /BLOCKED extract_verification \[\S+ \/ [FM]\]: .* the record says records (\d+), the extract gives \d+/,
    );
  });
});
