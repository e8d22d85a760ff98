import type { Command } from 'commander';
import { sniffOutputFile } from '@tre/outputs';
import {
  collectOne,
  listOutputFiles,
  runCollector,
  runListingCollector,
  type CollectorItemResult,
} from '@tre/workspaces';
import { CliUsageError, exitWith } from '../cli-errors';

/** The airlock's own limit (OUTPUT_MAX_FILE_BYTES), read the same way where the collector runs. */
function maxFileBytes(env: NodeJS.ProcessEnv, flag: string | undefined): number {
  const text = flag ?? env.OUTPUT_MAX_FILE_BYTES ?? '10485760';
  if (!/^[1-9]\d{0,12}$/.test(text))
    throw new CliUsageError(`the size limit must be a whole number of bytes, got "${text}"`);
  return Number(text);
}

function outputsDir(env: NodeJS.ProcessEnv, flag: string | undefined): string {
  const dir = flag ?? env.TRE_OUTPUTS_DIR;
  if (!dir?.trim()) throw new CliUsageError('give the outputs folder with --dir or TRE_OUTPUTS_DIR');
  return dir;
}

interface CollectOptions {
  dir?: string;
  list?: boolean;
  check?: string[];
  record?: string;
  maxBytes?: string;
  json?: boolean;
}

/**
 * Runs `tre workspace collect --list | --check PATH`: the collector's rules over a folder, sending nothing.
 * Inside a workspace this tells a researcher what the airlock's collector would take and what it would refuse.
 * Returns the exit code: 0 when every path checked would be collected, 1 otherwise.
 */
export async function runCollectCheck(
  env: NodeJS.ProcessEnv,
  options: CollectOptions,
  write: (text: string) => void,
): Promise<number> {
  const dir = outputsDir(env, options.dir);
  if (options.list) {
    const listing = await listOutputFiles(dir);
    if (options.json) write(`${JSON.stringify(listing)}\n`);
    else
      write(
        [
          ...listing.files.map(
            (f) =>
              `${f.path}\t${f.sizeBytes} bytes\t${f.modifiedAt}${f.recordPath ? `\trecord ${f.recordPath}` : ''}`,
          ),
          ...listing.skipped.map((s) => `${s.path}\tskipped: ${s.reason}`),
        ].join('\n') + '\n',
      );
    return 0;
  }
  const paths = options.check ?? [];
  if (paths.length === 0) throw new CliUsageError('say what to do: --list, or --check PATH (repeatable)');
  if (options.record && paths.length !== 1)
    throw new CliUsageError('--record goes with exactly one --check PATH');
  const rules = { maxFileBytes: maxFileBytes(env, options.maxBytes), sniff: sniffOutputFile };
  const results = [];
  for (const path of paths) {
    const result = await collectOne(dir, { path, recordPath: options.record ?? null }, rules);
    results.push(
      result.ok
        ? {
            path,
            collectable: true,
            sha256: result.file.sha256,
            sizeBytes: result.file.sizeBytes,
            mediaType: result.file.mediaType,
            record: result.file.record?.path ?? null,
          }
        : { path, collectable: false, reason: result.reason },
    );
  }
  if (options.json) write(`${JSON.stringify(results)}\n`);
  else
    write(
      results
        .map((r) =>
          r.collectable
            ? `${r.path}: would be collected (${r.sizeBytes} bytes, sha256 ${r.sha256})`
            : `${r.path}: refused: ${r.reason}`,
        )
        .join('\n') + '\n',
    );
  return results.every((r) => r.collectable) ? 0 : 1;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The collector Job's run: the environment names the intake, the request (add mode) or the listing (list mode,
 * TRE_OUTPUT_LISTING_ID: no file results) and the outputs folder; the token comes from the Job's Secret. Exported for tests and the demo (no cluster: a local process plays the Job).
 */
export async function runWorkspaceCollect(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  tuning: { attempts?: number; backoffMs?: number } = {},
): Promise<CollectorItemResult[]> {
  const read = (name: string): string => {
    const value = env[name]?.trim();
    if (!value)
      throw new CliUsageError(`${name} is not set: the collector runs in the Job the worker creates`);
    return value;
  };
  const apiUrl = read('TRE_API_URL');
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) throw new CliUsageError('TRE_API_URL must be an http(s) URL');
  const listingId = env.TRE_OUTPUT_LISTING_ID?.trim();
  if (listingId) {
    // List mode: the Job reports the folder's files to the listing intake; no request, no bytes.
    if (env.TRE_OUTPUT_REQUEST_ID?.trim())
      throw new CliUsageError('set TRE_OUTPUT_REQUEST_ID (add) or TRE_OUTPUT_LISTING_ID (list), not both');
    if (!UUID.test(listingId))
      throw new CliUsageError(`TRE_OUTPUT_LISTING_ID must be a UUID, got "${listingId}"`);
    await runListingCollector({
      apiUrl,
      listingId,
      outputsDir: read('TRE_OUTPUTS_DIR'),
      token: read('TRE_COLLECT_TOKEN'),
      log,
      ...tuning,
    });
    return [];
  }
  const requestId = read('TRE_OUTPUT_REQUEST_ID');
  if (!UUID.test(requestId))
    throw new CliUsageError(`TRE_OUTPUT_REQUEST_ID must be a UUID, got "${requestId}"`);
  return runCollector({
    apiUrl,
    requestId,
    outputsDir: read('TRE_OUTPUTS_DIR'),
    token: read('TRE_COLLECT_TOKEN'),
    sniff: sniffOutputFile,
    log,
    ...tuning,
  });
}

/** `tre workspace collect`: the airlock's collector over an outputs folder. */
export function registerWorkspaceCollect(workspace: Command): void {
  workspace
    .command('collect')
    .description(
      'with TRE_COLLECT_TOKEN set (the collector Job): collect the paths the grant names from TRE_OUTPUTS_DIR and send ' +
        'them to the intake at TRE_API_URL for TRE_OUTPUT_REQUEST_ID (exit 1 if any file was refused), or, with ' +
        'TRE_OUTPUT_LISTING_ID instead, report the listing of TRE_OUTPUTS_DIR to the listing intake. Otherwise ' +
        "apply the airlock collector's rules to an outputs folder (--dir or TRE_OUTPUTS_DIR) and send nothing: " +
        '--list lists the regular files with their records (<file>.record.json); --check PATH says whether a file ' +
        'would be collected (inside the folder, no symbolic link on the path, a regular file, within ' +
        'OUTPUT_MAX_FILE_BYTES, an allowed type by content) and gives its SHA-256',
    )
    .option('--dir <dir>', 'the outputs folder (default: TRE_OUTPUTS_DIR)')
    .option('--list', 'list the files')
    .option(
      '--check <path>',
      'a path relative to the outputs folder (repeatable)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--record <path>', 'the record of the one --check path')
    .option('--max-bytes <n>', 'the size limit (default: OUTPUT_MAX_FILE_BYTES or 10485760)')
    .option('--json', 'print JSON')
    .action(async (options: CollectOptions) => {
      const log = (line: string) => process.stdout.write(`${line}\n`);
      if (!options.list && !options.check && process.env.TRE_COLLECT_TOKEN) {
        const results = await runWorkspaceCollect(process.env, log);
        if (results.some((r) => r.status === 'failed')) exitWith(1);
        return;
      }
      const code = await runCollectCheck(process.env, options, (text) => process.stdout.write(text));
      if (code !== 0) exitWith(code);
    });
}
