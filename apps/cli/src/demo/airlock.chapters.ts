import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RECORD_SCHEMA, RECORD_VERSION, type TableRecord } from '@tre/sdc';
import { DemoFailure, expectStatus, type DemoChapter, type DemoContext, type Persona } from './demo-context';
import { story } from './project.chapters';

interface RequestBody {
  status: string;
  round: number;
  blind: boolean;
  fileList: {
    id: string;
    fileName: string;
    check: {
      status: string;
      flags: { rule: string; outcome: string; cell: string | null; published: boolean; reason: string }[];
    } | null;
    decision: string;
    reviews: { vote: string; comment: string }[];
  }[];
}

const AGES = ['0-4', '5-11', '12-17'];
const SEXES = ['F', 'M'];
/** Children admitted with asthma, by age band and sex: only 6 boys aged 12-17, too few to publish. */
const COUNTS = [
  [84, 121],
  [143, 187],
  [58, 6],
];

function record(suppressed: boolean): TableRecord {
  return {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    type: 'table',
    id: 'asthma-admissions-by-age-sex',
    table: {
      rowVars: ['age_band'],
      colVars: ['sex'],
      valueVar: null,
      agg: 'count',
      rows: AGES,
      cols: SEXES,
      margins: false,
      values: COUNTS.map((row, r) => row.map((n, c) => (suppressed && r === 2 && c === 1 ? null : n))),
      cells: COUNTS.map((row) => row.map((records) => ({ records }))),
    },
  };
}

const csv = (t: TableRecord): string =>
  `age_band,F,M\n${t.table.rows.map((row, r) => [row, ...t.table.values[r].map((v) => v ?? '')].join(',')).join('\n')}\n`;

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

/**
 * What the researcher does in the workspace, then outside it: the file (and its record beside it) is written
 * in the workspace's outputs folder, and added to the request by its path there. No bytes travel with the
 * request: the collector reads them from the folder (with no cluster attached, a local process over the
 * stand-in folder).
 */
async function addFromWorkspace(
  context: DemoContext,
  requestId: string,
  path: string,
  content: string | Buffer,
  recordJson?: string,
  text: { context?: string; controls?: string } = {},
): Promise<{ status: number; body: { message?: string; sha256?: string; runner?: string } }> {
  const workspaceId = await workspaceOf(context);
  const folder = join(context.localOutputsDir, workspaceId);
  await mkdir(dirname(join(folder, path)), { recursive: true });
  await writeFile(join(folder, path), content);
  const recordPath = recordJson === undefined ? undefined : `${path}.record.json`;
  if (recordPath) await writeFile(join(folder, recordPath), recordJson!);
  const added = await context.call(context.people.researcher, 'POST', `/outputs/${requestId}/paths`, {
    path,
    ...(recordPath ? { recordPath } : {}),
    ...text,
  });
  return added as { status: number; body: { message?: string; sha256?: string; runner?: string } };
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
    title: 'The researcher asks to take a table out; the airlock blocks it and shows the disclosive cell',
    async run(context) {
      const { call, people, say } = context;
      const created = await call(people.researcher, 'POST', '/outputs', {
        projectId: story.projectId,
        title: 'Asthma admissions by age band and sex',
      });
      expectStatus(created.status, 201, 'drafting an output request');
      const id = (shared.requestId = (created.body as { id: string }).id);
      const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)]);
      const smuggled = await addFromWorkspace(context, id, 'table.csv', elf);
      expectStatus(smuggled.status, 400, 'adding an executable named .csv');
      say(
        `an executable renamed table.csv in the outputs folder -> ${smuggled.status}: ${smuggled.body.message}`,
      );
      const escape = await context.call(people.researcher, 'POST', `/outputs/${id}/paths`, {
        path: '../../../etc/passwd',
      });
      expectStatus(escape.status, 400, 'adding a path outside the outputs folder');
      say(
        `a path outside the outputs folder -> ${escape.status}: ${(escape.body as { message: string }).message}`,
      );
      const added = await addFromWorkspace(
        context,
        id,
        'tables/admissions.csv',
        csv(record(false)),
        JSON.stringify(record(false)),
        { context: 'asthma admissions by age band and sex', controls: 'none yet' },
      );
      expectStatus(added.status, 201, 'adding the table with its record by path');
      say(
        `tables/admissions.csv and its record written in the workspace's outputs folder and added by path: collected by a ${added.body.runner}, sha256 ${added.body.sha256}`,
      );
      expectStatus(
        (await call(people.researcher, 'POST', `/outputs/${id}/submit`)).status,
        202,
        'submitting',
      );
      say('submitted; the worker checks the table against its disclosure-control record');
      const blocked = await waitFor(context, id, ['blocked', 'in_review']);
      if (blocked.status !== 'blocked')
        throw new DemoFailure(`the disclosive table was not blocked (${blocked.status})`);
      for (const flag of blocked.fileList[0].check?.flags ?? [])
        say(`BLOCKED ${flag.rule} [${flag.cell}]: ${flag.reason}`);
    },
  },
  {
    title: 'Resubmitted with the cell suppressed, it passes the checks; two output checkers approve it blind',
    async run(context) {
      const { call, people, say } = context;
      const id = shared.requestId!;
      const fixed = await addFromWorkspace(
        context,
        id,
        'tables/admissions.csv',
        csv(record(true)),
        JSON.stringify(record(true)),
        {
          context: 'asthma admissions by age band and sex',
          controls: 'the cell of 6 (12-17, M) suppressed; secondary suppression not needed',
        },
      );
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
        `round ${review.round}: ${file.fileName} check ${file.check?.status} (suppressed cell confirmed by a person); in review`,
      );
      const vote = (who: Persona, comment: string) =>
        call(who, 'POST', `/outputs/${id}/reviews`, {
          votes: [{ fileId: file.id, vote: 'approve', comment }],
        });
      const own = await call(people.researcher, 'POST', `/outputs/${id}/reviews`, {
        votes: [{ fileId: file.id, vote: 'approve' }],
      });
      say(`the researcher tries to approve their own output -> ${own.status}`);
      const first = await vote(people.checker, 'Suppression protects the small cell; safe to release.');
      expectStatus(first.status, 200, 'first checker');
      say(`${people.checker.name} approves -> ${JSON.stringify(first.body)}`);
      const seen = (await call(people.secondChecker, 'GET', `/outputs/${id}`)).body as RequestBody;
      say(
        `${people.secondChecker.name} sees other votes? blind=${seen.blind}, votes shown: ${seen.fileList[0].reviews.length}`,
      );
      const again = await vote(people.checker, 'again');
      say(`${people.checker.name} votes again -> ${again.status}`);
      const second = await vote(people.secondChecker, 'Agreed: no cell below 10 is published.');
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
      if (manifestText) {
        const manifest = JSON.parse(manifestText) as {
          files: {
            fileName: string;
            check: { evidence: { message: string } | null };
            provenance: { workspaceId: string; runner: string; path: string; sha256: string } | null;
          }[];
        };
        for (const file of manifest.files) {
          const p = file.provenance;
          say(
            `manifest: ${file.fileName} left workspace ${p?.workspaceId} from ${p?.path} (collected by a ${p?.runner}, sha256 ${p?.sha256.slice(0, 12)}…); ${file.check.evidence?.message ?? 'no table record'}`,
          );
        }
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
];
