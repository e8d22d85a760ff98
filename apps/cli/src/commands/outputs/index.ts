import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import {
  OUTPUT_VOTES,
  type OutputCollectionView,
  type OutputListingView,
  type OutputPage,
  type OutputRequestView,
} from '@tre/outputs';
import { CliUsageError } from '../../cli-errors';
import { ApiClient, type ApiOptions } from './api-client';
import {
  describeCollectionItems,
  describeCollectionStep,
  describeOutputs,
  describeRequest,
  type WorkspaceOutputs,
} from './format';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function uuid(option: string, value: string): string {
  if (!UUID.test(value)) throw new CliUsageError(`${option} must be an id (uuid), got "${value}"`);
  return value;
}

const requestId = (value: string): string => uuid('--request', value);

/** Adds the connection options every sub-command shares. */
function withApi(command: Command): Command {
  return command
    .option('--api <url>', 'API base URL (default TRE_API_URL, or http://127.0.0.1:$PORT)')
    .option('--token <jwt>', 'bearer token (default TRE_TOKEN)');
}

type Added =
  | { runner: 'local-process'; fileId: string; sha256: string; sizeBytes: number }
  | { runner: 'kubernetes'; collection: OutputCollectionView };

/** How often `tre outputs add` asks how a collection in the cluster is going (TRE_POLL_MS in tests). */
const pollMs = (): number => Number(process.env.TRE_POLL_MS ?? 1000) || 1000;

/** Polls a run of the worker (a collection, a listing) until it settles, printing each step as it changes. */
async function followSteps<T extends { settled: boolean; steps: OutputCollectionView['steps'] }>(
  started: T,
  next: () => Promise<T>,
): Promise<T> {
  const shown = new Map<string, string>();
  let run = started;
  for (;;) {
    for (const step of run.steps) {
      const line = describeCollectionStep(step);
      if (step.state !== 'pending' && shown.get(step.name) !== line) {
        shown.set(step.name, line);
        print(line);
      }
    }
    if (run.settled) return run;
    await new Promise((resolve) => setTimeout(resolve, pollMs()));
    run = await next();
  }
}

/**
 * Follows a collection the worker runs in the cluster until it settles, printing each step as it changes
 * (grant, Secret, egress policy, Job, wait, clean-up), then each file's outcome. Fails when a file was not added.
 */
async function followCollection(client: ApiClient, id: string, started: OutputCollectionView): Promise<void> {
  print(`collection ${started.id}: a collector Job in the workspace's namespace reads the file`);
  const collection = await followSteps(started, () =>
    client.json<OutputCollectionView>('GET', `/outputs/${id}/collections/${started.id}`),
  );
  for (const line of describeCollectionItems(collection)) print(line);
  if (collection.state !== 'succeeded')
    throw new Error(`the collection failed: ${collection.error ?? 'a file was not added'}`);
}

/**
 * Lists a workspace's outputs folder: starts a listing (a cluster attached: a collector Job in list mode, whose
 * steps are followed until it settles; none: a local process, at once) and gives its files.
 */
async function listWorkspaceOutputs(client: ApiClient, workspaceId: string): Promise<WorkspaceOutputs> {
  const path = `/workspaces/${workspaceId}/outputs/listings`;
  const answer = await client.json<{
    runner: string;
    note: string;
    started: boolean;
    listing: OutputListingView;
  }>('POST', path);
  let listing = answer.listing;
  if (answer.runner === 'kubernetes') {
    print(
      `listing ${listing.id}: ${answer.started ? "a collector Job in the workspace's namespace lists the outputs volume" : 'a listing already under way'}`,
    );
    listing = await followSteps(listing, () =>
      client.json<OutputListingView>('GET', `${path}/${answer.listing.id}`),
    );
  }
  if (listing.state !== 'succeeded')
    throw new Error(`the listing failed: ${listing.error ?? 'no files were reported'}`);
  return {
    note: answer.note,
    files: listing.files ?? [],
    skipped: listing.skipped ?? [],
    truncated: listing.truncated,
  };
}

async function download(client: ApiClient, id: string, out: string): Promise<string[]> {
  const issued = await client.json<{
    bundleSha256: string;
    links: { fileName: string; sha256: string; url: string }[];
  }>('POST', `/outputs/${id}/download-links`);
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  for (const link of issued.links) {
    const content = await client.bytes(link.url);
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (sha256 !== link.sha256)
      throw new Error(`${link.fileName} arrived altered (sha256 ${sha256}, expected ${link.sha256})`);
    const path = join(out, basename(link.fileName));
    await writeFile(path, content);
    written.push(`${path} sha256 ${sha256}`);
  }
  return written;
}

export function registerOutputs(program: Command): void {
  const outputs = program
    .command('outputs')
    .description(
      'the airlock: request outputs, follow their checks, vote as a checker, download releases (via the API)',
    );
  withApi(outputs.command('create').description('draft an output request for a project'))
    .requiredOption('--project <id>', 'project id')
    .requiredOption('--title <text>', 'what the outputs are')
    .action(async (o: ApiOptions & { project: string; title: string }) => {
      const created = await new ApiClient(o).json<{ id: string }>('POST', '/outputs', {
        projectId: o.project,
        title: o.title,
      });
      print(created.id);
    });
  withApi(
    outputs
      .command('files')
      .description("the files in a workspace's outputs folder, the only place outputs are added from"),
  )
    .requiredOption('--workspace <id>', 'workspace id')
    .option(
      '--latest',
      'with a cluster attached: show the newest listing already made (and its age) instead of starting one',
    )
    .option('--json', 'print JSON')
    .action(async (o: ApiOptions & { workspace: string; latest?: boolean; json?: boolean }) => {
      const client = new ApiClient(o);
      const workspaceId = uuid('--workspace', o.workspace);
      const listing = o.latest
        ? await client.json<WorkspaceOutputs>('GET', `/workspaces/${workspaceId}/outputs`)
        : await listWorkspaceOutputs(client, workspaceId);
      print(o.json ? JSON.stringify(listing) : describeOutputs(listing));
    });
  withApi(
    outputs
      .command('add')
      .description("add a file from the workspace's outputs folder to a request, by its path there"),
  )
    .requiredOption('--request <id>', 'output request id')
    .requiredOption('--path <path>', 'the file, relative to the outputs folder: csv, json, txt, png or pdf')
    .option('--record <path>', 'its disclosure-control record there (see `tre sdc table --write-record`)')
    .option('--context <text>', 'what this file is')
    .option('--controls <text>', 'how disclosure was controlled')
    .option('--workspace <id>', "the workspace (default: the request's project's)")
    .action(
      async (
        o: ApiOptions & {
          request: string;
          path: string;
          record?: string;
          context?: string;
          controls?: string;
          workspace?: string;
        },
      ) => {
        const client = new ApiClient(o);
        const added = await client.json<Added>('POST', `/outputs/${requestId(o.request)}/paths`, {
          path: o.path,
          ...(o.workspace === undefined ? {} : { workspaceId: uuid('--workspace', o.workspace) }),
          ...(o.record === undefined ? {} : { recordPath: o.record }),
          ...(o.context === undefined ? {} : { context: o.context }),
          ...(o.controls === undefined ? {} : { controls: o.controls }),
        });
        if (added.runner === 'kubernetes') return followCollection(client, o.request, added.collection);
        print(`added ${o.path}: file ${added.fileId}, ${added.sizeBytes} bytes, sha256 ${added.sha256}`);
      },
    );
  for (const [name, path, what] of [
    ['submit', 'submit', 'submit (or resubmit) a request for checking'],
    ['withdraw', 'withdraw', 'withdraw a request'],
  ] as const) {
    const command = withApi(outputs.command(name).description(what)).requiredOption(
      '--request <id>',
      'output request id',
    );
    if (name === 'withdraw') command.requiredOption('--reason <text>', 'why');
    command.action(async (o: ApiOptions & { request: string; reason?: string }) => {
      const body = name === 'withdraw' ? { reason: o.reason } : undefined;
      await new ApiClient(o).json('POST', `/outputs/${requestId(o.request)}/${path}`, body);
      print(`${name === 'submit' ? 'submitted' : 'withdrawn'}: ${o.request}`);
    });
  }
  withApi(
    outputs.command('status').description('a request: state, checks per file with flagged cells, decisions'),
  )
    .requiredOption('--request <id>', 'output request id')
    .option('--json', 'print JSON')
    .action(async (o: ApiOptions & { request: string; json?: boolean }) => {
      const request = await new ApiClient(o).json<OutputRequestView>(
        'GET',
        `/outputs/${requestId(o.request)}`,
      );
      print(o.json ? JSON.stringify(request) : describeRequest(request));
    });
  withApi(outputs.command('list').description('requests: mine, awaiting my review, or all I may see'))
    .option('--scope <scope>', 'mine | awaiting_review | all', 'mine')
    .option('--json', 'print JSON')
    .action(async (o: ApiOptions & { scope: string; json?: boolean }) => {
      const page = await new ApiClient(o).json<OutputPage>(
        'GET',
        `/outputs?scope=${encodeURIComponent(o.scope)}&pageSize=200`,
      );
      if (o.json) print(JSON.stringify(page));
      else
        print(
          page.items.length
            ? page.items
                .map(
                  (r) => `${r.id}  ${r.status.padEnd(9)}  round ${r.round}  ${r.files} file(s)  ${r.title}`,
                )
                .join('\n')
            : 'no output requests',
        );
    });
  withApi(outputs.command('vote').description('as an output checker: vote on every file of a request'))
    .requiredOption('--request <id>', 'output request id')
    .requiredOption('--vote <vote>', OUTPUT_VOTES.join(' | '))
    .option('--comment <text>', 'why (required unless approving files that passed every check)')
    .option('--revise', 'replace your review of this round (only while the checkers disagree)')
    .action(async (o: ApiOptions & { request: string; vote: string; comment?: string; revise?: boolean }) => {
      if (!(OUTPUT_VOTES as readonly string[]).includes(o.vote))
        throw new CliUsageError(`--vote must be one of ${OUTPUT_VOTES.join(', ')}`);
      const client = new ApiClient(o);
      const request = await client.json<OutputRequestView>('GET', `/outputs/${requestId(o.request)}`);
      const outcome = await client.json<{ outcome: string; status: string }>(
        o.revise ? 'PUT' : 'POST',
        `/outputs/${o.request}/reviews${o.revise ? '/mine' : ''}`,
        {
          votes: request.fileList.map((f) => ({
            fileId: f.id,
            vote: o.vote,
            ...(o.comment ? { comment: o.comment } : {}),
          })),
        },
      );
      print(
        `${o.revise ? 'revised to' : 'voted'} ${o.vote} on ${request.fileList.length} file(s): ${outcome.outcome}, request ${outcome.status}`,
      );
    });
  withApi(outputs.command('download').description('download a released bundle, checking every SHA-256'))
    .requiredOption('--request <id>', 'output request id')
    .requiredOption('--out <dir>', 'directory to write the files and manifest.json into')
    .action(async (o: ApiOptions & { request: string; out: string }) => {
      for (const line of await download(new ApiClient(o), requestId(o.request), o.out)) print(line);
    });
}
