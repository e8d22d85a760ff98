import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TableRecord } from '@tre/sdc';
import { DemoFailure, expectStatus, type DemoChapter, type DemoContext, type Persona } from './demo-context';
import { loaded } from './load.chapters';
import { story } from './project.chapters';
import { publishedCsv } from '../commands/sdc/sdc-table';
import { runTre } from './services';

type ExtractEvidenceKind = 'verified' | 'mismatch' | 'derived';

interface CheckFlag {
  rule: string;
  outcome: string;
  cell: string | null;
  published: boolean;
  reason: string;
}

interface RequestFile {
  id: string;
  fileName: string;
  check: {
    status: string;
    flags: CheckFlag[];
    evidence: { kind: ExtractEvidenceKind; message: string } | null;
  } | null;
  decision: string;
  reviews: { vote: string; comment: string }[];
}

interface RequestBody {
  status: string;
  round: number;
  blind: boolean;
  fileList: RequestFile[];
}

/** The extract file the researcher's table is built from, and the table: registrations by practice and sex. */
const EXTRACT_FILE = 'GP_REGISTRATIONS.csv';
const TABLE = 'tables/registrations.csv';
const RECORD = `${TABLE}.record.json`;

const shared: { requestId?: string } = {};

/** The project's workspace: its outputs folder is where the researcher's code writes what it wants out. */
async function workspaceOf(context: DemoContext): Promise<string> {
  const listed = await context.call(context.people.researcher, 'GET', '/workspaces?pageSize=200');
  const workspace = (listed.body as { items: { id: string; projectId: string }[] }).items.find(
    (w) => w.projectId === story.projectId,
  );
  if (!workspace) throw new DemoFailure('the project has no workspace');
  return workspace.id;
}

/** The workspace's outputs folder: with no cluster attached, the local folder standing in for the volume. */
async function outputsFolder(context: DemoContext): Promise<string> {
  return join(context.localOutputsDir, await workspaceOf(context));
}

/**
 * What the researcher does in the workspace's tool: `tre sdc table` over the extract file the loader put in
 * the data volume, writing the published table and its disclosure-control record (which names the SHA-256 of
 * the extract file) into the outputs folder. The real CLI, as a child process.
 */
async function buildTable(context: DemoContext, suppress: boolean): Promise<void> {
  if (!loaded.dataDir)
    throw new DemoFailure(
      "the airlock chapters play the researcher in a local stand-in of the workspace: the extract's folder is missing",
    );
  const folder = await outputsFolder(context);
  await mkdir(join(folder, dirname(TABLE)), { recursive: true });
  const data = join(loaded.dataDir, EXTRACT_FILE);
  const args = [
    'sdc',
    'table',
    '--data',
    data,
    '--rows',
    'practice_code',
    '--cols',
    'sex',
    ...(suppress ? ['--suppress'] : []),
    '--write-table',
    join(folder, TABLE),
    '--write-record',
    join(folder, RECORD),
    '--json',
  ];
  const run = await runTre(args);
  if (run.code !== 0) throw new DemoFailure(`tre sdc table failed (${run.code}): ${run.stderr.trim()}`);
  const result = JSON.parse(run.stdout) as { status: string; message: string; suppressed: unknown[] };
  const record = JSON.parse(await readFile(join(folder, RECORD), 'utf8')) as TableRecord;
  context.say(
    `in the workspace: tre sdc table --data $TRE_DATA_DIR/${EXTRACT_FILE} --rows practice_code --cols sex${suppress ? ' --suppress' : ''} --write-table ${TABLE} --write-record ${RECORD}`,
  );
  context.say(
    `   -> ${result.status.toUpperCase()}: ${result.message}; ${record.table.rows.length} practices x ${record.table.cols.length} sexes${suppress ? `, ${result.suppressed.length} cell(s) suppressed` : ''}; the record names its source ${record.source?.file} sha256 ${record.source?.sha256.slice(0, 12)}…`,
  );
}

/**
 * The researcher adds a file of the workspace's outputs folder to the request by its path. No bytes travel
 * with the request: the collector reads them from the folder (with no cluster attached, a local process over
 * the stand-in folder).
 */
async function addPath(
  context: DemoContext,
  requestId: string,
  path: string,
  recordPath?: string,
  text: { context?: string; controls?: string } = {},
): Promise<{ status: number; body: { message?: string; sha256?: string; runner?: string } }> {
  const added = await context.call(context.people.researcher, 'POST', `/outputs/${requestId}/paths`, {
    path,
    ...(recordPath ? { recordPath } : {}),
    ...text,
  });
  return added as { status: number; body: { message?: string; sha256?: string; runner?: string } };
}

/** Writes a file in the workspace's outputs folder (what any code in the tool may do) and adds it by path. */
async function addFromWorkspace(
  context: DemoContext,
  requestId: string,
  path: string,
  content: string | Buffer,
): Promise<{ status: number; body: { message?: string; sha256?: string; runner?: string } }> {
  const folder = await outputsFolder(context);
  await mkdir(dirname(join(folder, path)), { recursive: true });
  await writeFile(join(folder, path), content);
  return addPath(context, requestId, path);
}

/** The checker's view of a file's evidence, and a failure when it is not the one the story expects. */
function expectEvidence(file: RequestFile, kind: ExtractEvidenceKind): string {
  const evidence = file.check?.evidence;
  if (evidence?.kind !== kind)
    throw new DemoFailure(
      `${file.fileName}: expected the evidence "${kind}", got ${evidence ? `"${evidence.kind}": ${evidence.message}` : 'none'}`,
    );
  return evidence.message;
}

/** The first few flags, then how many more: a table of 498 practices can raise many. */
function sayFlags(say: (text: string) => void, flags: readonly CheckFlag[]): void {
  for (const flag of flags.slice(0, 4)) say(`BLOCKED ${flag.rule} [${flag.cell}]: ${flag.reason}`);
  if (flags.length > 4) say(`... and ${flags.length - 4} more flag(s)`);
}

async function waitFor(context: DemoContext, id: string, states: string[]): Promise<RequestBody> {
  for (let tries = 0; tries < 120; tries++) {
    const body = (await context.call(context.people.researcher, 'GET', `/outputs/${id}`)).body as RequestBody;
    if (states.includes(body.status)) return body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new DemoFailure(`output request ${id} did not reach ${states.join(' or ')}`);
}

/** The airlock: nothing leaves without the automated checks and two output checkers. */
export const airlockChapters: DemoChapter[] = [
  {
    title:
      'The researcher builds a table from the extract with `tre sdc` in the workspace; the airlock blocks its small cells',
    async run(context) {
      const { call, people, say } = context;
      const created = await call(people.researcher, 'POST', '/outputs', {
        projectId: story.projectId,
        title: 'GP registrations by practice and sex',
      });
      expectStatus(created.status, 201, 'drafting an output request');
      const id = (shared.requestId = (created.body as { id: string }).id);
      const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)]);
      const smuggled = await addFromWorkspace(context, id, 'table.csv', elf);
      expectStatus(smuggled.status, 400, 'adding an executable named .csv');
      say(
        `an executable renamed table.csv in the outputs folder -> ${smuggled.status}: ${smuggled.body.message}`,
      );
      const escape = await addPath(context, id, '../../../etc/passwd');
      expectStatus(escape.status, 400, 'adding a path outside the outputs folder');
      say(`a path outside the outputs folder -> ${escape.status}: ${escape.body.message}`);
      await buildTable(context, false);
      const added = await addPath(context, id, TABLE, RECORD, {
        context: 'GP registrations by practice and sex, from the extract',
        controls: 'none yet',
      });
      expectStatus(added.status, 201, 'adding the table with its record by path');
      say(
        `${TABLE} and its record added by path: collected by a ${added.body.runner}, sha256 ${added.body.sha256}`,
      );
      expectStatus(
        (await call(people.researcher, 'POST', `/outputs/${id}/submit`)).status,
        202,
        'submitting',
      );
      say('submitted; the worker checks the table, and rebuilds it from its own copy of the extract');
      const blocked = await waitFor(context, id, ['blocked', 'in_review']);
      if (blocked.status !== 'blocked')
        throw new DemoFailure(`the disclosive table was not blocked (${blocked.status})`);
      const file = blocked.fileList[0];
      say(`${file.fileName}: ${expectEvidence(file, 'verified')}, and still blocked:`);
      sayFlags(say, file.check?.flags ?? []);
    },
  },
  {
    title:
      'Rebuilt with `tre sdc --suppress`, it passes the checks, verified; two output checkers approve it blind',
    async run(context) {
      const { call, people, say } = context;
      const id = shared.requestId!;
      await buildTable(context, true);
      const fixed = await addPath(context, id, TABLE, RECORD, {
        context: 'GP registrations by practice and sex, from the extract',
        controls: 'cells under the threshold suppressed by tre sdc, with secondary suppression',
      });
      expectStatus(fixed.status, 201, 'adding the table again: a new version');
      say('the suppressed table written over the old one and added again: a new version of the file');
      expectStatus(
        (await call(people.researcher, 'POST', `/outputs/${id}/submit`)).status,
        202,
        'resubmitting',
      );
      const review = await waitFor(context, id, ['blocked', 'in_review']);
      if (review.status !== 'in_review')
        throw new DemoFailure(`the suppressed table did not pass (${review.status})`);
      const file = review.fileList[0];
      say(
        `round ${review.round}: ${file.fileName} check ${file.check?.status}; ${expectEvidence(file, 'verified')}; in review`,
      );
      const vote = (who: Persona, comment: string) =>
        call(who, 'POST', `/outputs/${id}/reviews`, {
          votes: [{ fileId: file.id, vote: 'approve', comment }],
        });
      const own = await call(people.researcher, 'POST', `/outputs/${id}/reviews`, {
        votes: [{ fileId: file.id, vote: 'approve' }],
      });
      say(`the researcher tries to approve their own output -> ${own.status}`);
      const first = await vote(
        people.checker,
        'Built from the extract and verified; small cells suppressed.',
      );
      expectStatus(first.status, 200, 'first checker');
      say(`${people.checker.name} approves -> ${JSON.stringify(first.body)}`);
      const seen = (await call(people.secondChecker, 'GET', `/outputs/${id}`)).body as RequestBody;
      say(
        `${people.secondChecker.name} sees other votes? blind=${seen.blind}, votes shown: ${seen.fileList[0].reviews.length}`,
      );
      const again = await vote(people.checker, 'again');
      say(`${people.checker.name} votes again -> ${again.status}`);
      const second = await vote(people.secondChecker, 'Agreed: no published cell below the threshold.');
      expectStatus(second.status, 200, 'second checker');
      say(`${people.secondChecker.name} approves -> ${JSON.stringify(second.body)}`);
    },
  },
  {
    title: 'The bundle is released and downloaded through one-time links; the audit chain still verifies',
    async run({ call, people, say, apiUrl }) {
      const id = shared.requestId!;
      const issued = await call(people.researcher, 'POST', `/outputs/${id}/download-links`);
      expectStatus(issued.status, 201, 'asking for download links');
      const { links, bundleSha256 } = issued.body as {
        bundleSha256: string;
        links: { fileName: string; sha256: string; url: string }[];
      };
      let manifestText = '';
      for (const link of links) {
        const content = Buffer.from(await (await fetch(`${apiUrl}${link.url}`)).arrayBuffer());
        if (link.fileName === 'manifest.json') manifestText = content.toString('utf8');
        const sha256 = createHash('sha256').update(content).digest('hex');
        if (sha256 !== link.sha256) throw new DemoFailure(`${link.fileName} arrived altered`);
        say(`downloaded ${link.fileName}: ${content.length} bytes, sha256 ${sha256} (matches the manifest)`);
      }
      if (!manifestText) throw new DemoFailure('the bundle has no manifest');
      const manifest = JSON.parse(manifestText) as {
        version: string;
        files: {
          fileName: string;
          check: { evidence: { kind: ExtractEvidenceKind; message: string } | null };
          provenance: { workspaceId: string; runner: string; path: string; sha256: string } | null;
        }[];
      };
      for (const file of manifest.files) {
        const p = file.provenance;
        if (!p) throw new DemoFailure(`the manifest gives no provenance for ${file.fileName}`);
        if (file.check.evidence?.kind !== 'verified')
          throw new DemoFailure(`the manifest does not mark ${file.fileName} verified against the extract`);
        say(
          `manifest ${manifest.version}: ${file.fileName} left workspace ${p.workspaceId} from ${p.path} (collected by a ${p.runner}, sha256 ${p.sha256.slice(0, 12)}…); ${file.check.evidence.message}`,
        );
      }
      const reused = await fetch(`${apiUrl}${links[0].url}`);
      say(`the same link again -> ${reused.status} (each link works once, and expires within minutes)`);
      say(`bundle sha256 (of its manifest): ${bundleSha256}`);
      const register = await call(undefined, 'GET', '/register?pageSize=100');
      const entry = (register.body as { items: { id: string; outputsReleased: number }[] }).items.find(
        (p) => p.id === story.projectId,
      );
      say(
        `the public register now counts ${entry?.outputsReleased ?? 0} output(s) released from the project`,
      );
      const audit = await call(people.admin, 'GET', `/audit?subjectId=${id}&pageSize=100`);
      const actions = (audit.body as { items: { seq: number; action: string }[] }).items
        .sort((a, b) => a.seq - b.seq)
        .map((e) => e.action);
      say(`audit trail of the request: ${actions.join(' > ')}`);
      const verify = await call(people.admin, 'GET', '/audit/verify');
      const report = verify.body as { valid: boolean; count: number };
      if (!report.valid) throw new DemoFailure(`audit chain does not verify: ${JSON.stringify(report)}`);
      say(`GET /audit/verify -> valid: ${report.count} event(s)`);
    },
  },
  {
    title: 'The same table edited afterwards by hand is blocked: rebuilt from the extract, a count differs',
    async run(context) {
      const { call, people, say } = context;
      const folder = await outputsFolder(context);
      const record = JSON.parse(await readFile(join(folder, RECORD), 'utf8')) as TableRecord;
      const t = record.table;
      const r = t.values.findIndex((row) => row.some((v) => v !== null));
      const c = t.values[r].findIndex((v) => v !== null);
      const was = t.values[r][c]!;
      // The researcher "tidies" one count in the table and in its record alike: they agree with each other.
      t.values[r][c] = was + 3;
      t.cells[r][c] = { ...t.cells[r][c], records: t.cells[r][c].records + 3 };
      await writeFile(join(folder, TABLE), publishedCsv(record));
      await writeFile(join(folder, RECORD), `${JSON.stringify(record)}\n`);
      say(
        `in the workspace, ${TABLE} and its record edited by hand: ${String(t.rows[r])} / ${String(t.cols[c])} ${was} -> ${was + 3}`,
      );
      const created = await call(people.researcher, 'POST', '/outputs', {
        projectId: story.projectId,
        title: 'GP registrations by practice and sex, tidied',
      });
      expectStatus(created.status, 201, 'drafting a second output request');
      const id = (created.body as { id: string }).id;
      expectStatus((await addPath(context, id, TABLE, RECORD)).status, 201, 'adding the edited table');
      expectStatus(
        (await call(people.researcher, 'POST', `/outputs/${id}/submit`)).status,
        202,
        'submitting the edited table',
      );
      const blocked = await waitFor(context, id, ['blocked', 'in_review']);
      if (blocked.status !== 'blocked')
        throw new DemoFailure(`the edited table was not blocked (${blocked.status})`);
      const file = blocked.fileList[0];
      say(`${file.fileName}: ${expectEvidence(file, 'mismatch')}`);
      const mismatches = (file.check?.flags ?? []).filter((f) => f.rule === 'extract_verification');
      if (mismatches.length === 0) throw new DemoFailure('the edited table has no extract_verification flag');
      sayFlags(say, mismatches);
      say('the release before it is untouched: what was checked and released is the bytes as collected');
    },
  },
];
