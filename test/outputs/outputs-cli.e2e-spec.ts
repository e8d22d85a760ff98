import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Role } from '@tre/auth';
import { runCli } from '../../apps/cli/src/run';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { callerAs } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { readyWorkspaceOf, writeOutput } from '../support/workspace-outputs';

interface Run {
  code: number;
  out: string;
  err: string;
}

const sha256 = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const AGES = ['0-15', '16-64', '65+'];
const SEXES = ['F', 'M'];
const COUNTS = [
  [40, 38],
  [120, 131],
  [15, 4],
];
/** The 65+ men are 4 people: the checks must block this table. */
const DISCLOSIVE = countRecord('age_band', 'sex', AGES, SEXES, COUNTS);
const SUPPRESSED = countRecord('age_band', 'sex', AGES, SEXES, COUNTS, [[2, 1]]);

/**
 * `tre outputs ...` run for real (the same entry as the `tre` binary, in-process) against the listening API
 * and the worker: a researcher drafts, has an executable refused, submits a disclosive table and reads the
 * flagged cell, resubmits it suppressed; two checkers vote; the researcher downloads the release and every
 * SHA-256 is checked, including a link that serves altered bytes.
 */
describe('tre outputs', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let apiUrl: string;
  let dir: string;
  let projectId: string;
  let workspaceId: string;
  let requestId: string;
  const tokens: Record<string, string> = {};

  /** Runs `tre outputs <args>` as `who` and answers its exit code and what it printed. */
  const tre = async (who: string, ...args: string[]): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const capture = (into: string[]) => (chunk: string | Uint8Array) => {
      into.push(String(chunk));
      return true;
    };
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture(out));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture(err));
    try {
      const auth = who ? ['--api', apiUrl, '--token', tokens[who]] : ['--api', apiUrl];
      const code = await runCli(['node', 'tre', 'outputs', ...args, ...auth]);
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      process.exitCode = undefined;
    }
  };
  /** Written in the workspace's outputs folder, as the researcher's code there would: its path there. */
  const file = (name: string, content: Buffer | string): string => {
    writeOutput(workspaceId, name, content);
    return name;
  };
  const status = async (): Promise<{ status: string; round: number }> => {
    const run = await tre('alice', 'status', '--request', requestId, '--json');
    expect(run.code).toBe(0);
    return JSON.parse(run.out) as { status: string; round: number };
  };
  const settled = (round: number) =>
    eventually(async () => {
      const body = await status();
      return body.round === round && ['blocked', 'in_review'].includes(body.status) ? body : undefined;
    });

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-cli-')),
    });
    await t.app.listen(0, '127.0.0.1');
    apiUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startTestWorker();
    dir = mkdtempSync(join(tmpdir(), 'tre-outputs-cli-files-'));
    const people: [string, Role[]][] = [
      ['alice', ['researcher']],
      ['olga', ['output_checker']],
      ['oscar', ['output_checker']],
    ];
    for (const [subject, roles] of people) tokens[subject] = await t.env.token(subject, roles);
    projectId = await approvedProject(
      await callerAs(t, 'alice', ['researcher']),
      await callerAs(t, 'cara', ['data_custodian']),
      [await callerAs(t, 'dev', ['dac_member']), await callerAs(t, 'dora', ['dac_member'])],
    );
    workspaceId = await readyWorkspaceOf(t, projectId);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('create drafts a request and prints its id; without a token it is a usage error', async () => {
    const created = await tre('alice', 'create', '--project', projectId, '--title', 'Admissions by age');
    expect(created).toMatchObject({ code: 0, err: '' });
    requestId = created.out.trim();
    expect(requestId).toMatch(UUID);
    const anonymous = await tre('', 'create', '--project', projectId, '--title', 'Anything');
    expect(anonymous.code).toBe(2);
    expect(anonymous.err).toMatch(/^tre: give a bearer token with --token or TRE_TOKEN/);
  });

  it('add refuses an executable named as a table: exit 2, one clear line, nothing added', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)]);
    const refused = await tre('alice', 'add', '--request', requestId, '--path', file('table.csv', elf));
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err.trimEnd().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/^tre: POST \/outputs\/.+\/paths: HTTP 400: table\.csv: .*ELF executable/);
    const missing = await tre('alice', 'add', '--request', requestId, '--path', 'nope.csv');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/HTTP 400: nope\.csv: .*does not exist/);
    const outside = await tre('alice', 'add', '--request', requestId, '--path', '../other/table.csv');
    expect(outside.code).toBe(2);
    expect(outside.err).toMatch(/leaves the outputs folder/);
    const badId = await tre('alice', 'add', '--request', 'not-an-id', '--path', file('x.txt', 'x'));
    expect(badId.code).toBe(2);
    expect(JSON.parse((await tre('alice', 'status', '--request', requestId, '--json')).out)).toMatchObject({
      status: 'draft',
      files: 0,
    });
  });

  it("files lists the workspace's outputs folder with each file's record", async () => {
    file('tables/admissions.csv', tableCsv(DISCLOSIVE));
    file('tables/admissions.csv.record.json', JSON.stringify(DISCLOSIVE));
    const listed = await tre('alice', 'files', '--workspace', workspaceId);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(
      new RegExp(
        `^tables/admissions\\.csv  ${tableCsv(DISCLOSIVE).length} bytes  modified \\S+  record tables/admissions\\.csv\\.record\\.json$`,
        'm',
      ),
    );
    expect(listed.out).toMatch(/^table\.csv {2}71 bytes/m);
    const json = JSON.parse((await tre('alice', 'files', '--workspace', workspaceId, '--json')).out) as {
      files: { path: string }[];
    };
    expect(json.files.map((f) => f.path)).toContain('tables/admissions.csv.record.json');
    const stranger = await tre('olga', 'files', '--workspace', workspaceId);
    expect(stranger.code).toBe(1);
    expect(stranger.err).toMatch(/HTTP 403/);
    expect((await tre('alice', 'files', '--workspace', 'nope')).code).toBe(2);
  });

  it('a disclosive table is submitted, blocked, and status shows the flagged cell and rule', async () => {
    const table = file('admissions.csv', tableCsv(DISCLOSIVE));
    const record = file('admissions.record.json', JSON.stringify(DISCLOSIVE));
    const added = await tre(
      'alice',
      'add',
      '--request',
      requestId,
      '--path',
      table,
      '--record',
      record,
      '--context',
      'admissions by age band and sex',
      '--controls',
      'counts under 10 suppressed',
    );
    expect(added.code).toBe(0);
    expect(added.out).toMatch(
      new RegExp(
        `^added admissions.csv: file [0-9a-f-]{36}, ${tableCsv(DISCLOSIVE).length} bytes, sha256 ${sha256(tableCsv(DISCLOSIVE))}\n$`,
      ),
    );
    const notes = file('notes.txt', 'Method: counts of admissions, 2020-2024.\n');
    expect((await tre('alice', 'add', '--request', requestId, '--path', notes)).code).toBe(0);
    expect(await tre('alice', 'submit', '--request', requestId)).toEqual({
      code: 0,
      out: `submitted: ${requestId}\n`,
      err: '',
    });
    const again = await tre('alice', 'submit', '--request', requestId);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/HTTP 409/);
    expect((await settled(1)).status).toBe('blocked');
    const shown = await tre('alice', 'status', '--request', requestId);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`output request ${requestId} (project ${projectId}): BLOCKED, round 1`);
    expect(shown.out).toMatch(/admissions\.csv \(text\/csv, \d+ bytes, sha256 [0-9a-f]{12}…\): check fail/);
    expect(shown.out).toMatch(/\n {4}fail threshold \[65\+ \/ M\]: /);
    expect(shown.out).toMatch(/notes\.txt .*: check manual/);
  });

  it('resubmitted suppressed it goes to review; two checkers vote and it is released', async () => {
    const table = file('admissions.csv', tableCsv(SUPPRESSED));
    const record = file('admissions.record.json', JSON.stringify(SUPPRESSED));
    expect(
      (await tre('alice', 'add', '--request', requestId, '--path', table, '--record', record)).code,
    ).toBe(0);
    expect((await tre('alice', 'submit', '--request', requestId)).code).toBe(0);
    expect((await settled(2)).status).toBe('in_review');
    const awaiting = await tre('olga', 'list', '--scope', 'awaiting_review');
    expect(awaiting.out).toMatch(new RegExp(`^${requestId}  in_review  round 2  2 file\\(s\\)  Admissions`));

    const badVote = await tre('olga', 'vote', '--request', requestId, '--vote', 'maybe');
    expect(badVote).toMatchObject({
      code: 2,
      err: 'tre: --vote must be one of approve, request_changes, reject\n',
    });
    const noComment = await tre('olga', 'vote', '--request', requestId, '--vote', 'approve');
    expect(noComment.code).toBe(2);
    expect(noComment.err).toMatch(/HTTP 400: Review refused: .*a comment is required/);
    const first = await tre(
      'olga',
      'vote',
      '--request',
      requestId,
      '--vote',
      'approve',
      '--comment',
      'Safe.',
    );
    expect(first).toEqual({
      code: 0,
      out: 'voted approve on 2 file(s): pending, request in_review\n',
      err: '',
    });
    const revise = await tre(
      'olga',
      'vote',
      '--request',
      requestId,
      '--vote',
      'reject',
      '--comment',
      'No.',
      '--revise',
    );
    expect(revise.code).toBe(1);
    expect(revise.err).toMatch(/PUT .*reviews\/mine: HTTP 409: .*only while the checkers disagree/);
    const second = await tre(
      'oscar',
      'vote',
      '--request',
      requestId,
      '--vote',
      'approve',
      '--comment',
      'Agreed.',
    );
    expect(second.out).toBe('voted approve on 2 file(s): approve, request released\n');
    const shown = await tre('alice', 'status', '--request', requestId);
    expect(shown.out).toContain('RELEASED, round 2');
    expect(shown.out).toMatch(/admissions\.csv .*decision approved/);
    expect(shown.out).toMatch(/released: bundle sha256 [0-9a-f]{64}/);
  });

  it('download writes the bundle, checking every SHA-256 against the links and the manifest', async () => {
    const out = join(dir, 'release');
    const run = await tre('alice', 'download', '--request', requestId, '--out', out);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(readdirSync(out).sort()).toEqual(['admissions.csv', 'manifest.json', 'notes.txt']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      files: { fileName: string; sha256: string }[];
    };
    for (const entry of manifest.files) {
      const digest = sha256(readFileSync(join(out, entry.fileName)));
      expect(digest).toBe(entry.sha256);
      expect(run.out).toContain(`${join(out, entry.fileName)} sha256 ${digest}\n`);
    }
    expect(readFileSync(join(out, 'admissions.csv'), 'utf8')).toBe(tableCsv(SUPPRESSED));
    // Links are for the project's members: a checker is refused by the API.
    const checker = await tre('olga', 'download', '--request', requestId, '--out', join(dir, 'olga'));
    expect(checker.code).toBe(1);
    expect(checker.err).toMatch(/HTTP 403/);
  });

  it('download refuses bytes that do not match the SHA-256 the API announced', async () => {
    // A stand-in API whose link serves other bytes than announced: what a tampering proxy would do.
    const server: Server = createServer((req, res) => {
      if (req.method === 'POST') {
        res.setHeader('Content-Type', 'application/json');
        res.end(
          JSON.stringify({
            bundleSha256: sha256('manifest'),
            links: [{ fileName: 'table.csv', sha256: sha256('a,b\n1,2\n'), url: '/output-downloads/x' }],
          }),
        );
      } else res.end('a,b\n1,3\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const saved = apiUrl;
    try {
      apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const out = join(dir, 'tampered');
      const run = await tre('alice', 'download', '--request', requestId, '--out', out);
      expect(run.code).toBe(1);
      expect(run.err).toBe(
        `tre: table.csv arrived altered (sha256 ${sha256('a,b\n1,3\n')}, expected ${sha256('a,b\n1,2\n')})\n`,
      );
      expect(readdirSync(out)).toEqual([]);
    } finally {
      apiUrl = saved;
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
