import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { loadPaths } from './load-paths';
import { parseLoadManifest } from './load-manifest';

export interface LoaderOptions {
  apiUrl: string;
  workspaceId: string;
  projectId: string;
  extractId: string;
  dataDir: string;
  token: string;
  /** Attempts per request before a network error or a 5xx/429 is final. */
  attempts?: number;
  /** First wait between attempts; doubled after each. */
  backoffMs?: number;
  log?: (line: string) => void;
}

export interface LoadOutcome {
  filesVerified: number;
  bytes: number;
}

/** A file whose bytes are not the ones the manifest promises: never retried, never left on the volume. */
export class LoadVerificationError extends Error {
  constructor(
    readonly file: string,
    readonly expected: { sha256: string; bytes: number },
    readonly actual: { sha256: string; bytes: number },
  ) {
    super(
      `${file} does not match the manifest: expected sha256 ${expected.sha256} (${expected.bytes} bytes), ` +
        `got sha256 ${actual.sha256} (${actual.bytes} bytes); the file was removed and no completion reported`,
    );
    this.name = 'LoadVerificationError';
  }
}

/** The API refused a request (4xx): retrying would not help. */
export class LoadRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'LoadRequestError';
  }
}

/** A failure worth another attempt: a dropped connection, a timeout, a 5xx or 429. */
class TransientError extends Error {}

const PARTIAL = /^\..+\.partial-[0-9a-f]+$/;
const MANIFEST_FILE = 'manifest.json';

/**
 * Fetches a workspace's extract with its one-time token and writes it to the data directory: each file is
 * streamed to a hidden temporary name while hashed, checked against the manifest's SHA-256 and size, and
 * renamed into place only when both match. The extract's manifest is written beside the files, then the
 * completion is reported, which ends the token. The token is never printed.
 */
export async function loadExtract(options: LoaderOptions): Promise<LoadOutcome> {
  const log = options.log ?? (() => undefined);
  const paths = loadPaths(options);
  await mkdir(options.dataDir, { recursive: true });
  // A killed earlier attempt may have left partial files; they were never verified.
  for (const entry of await readdir(options.dataDir))
    if (PARTIAL.test(entry)) await rm(join(options.dataDir, entry), { force: true });

  const manifest = await withRetries(options, 'the manifest', async () =>
    parseLoadManifest(await (await request(options, paths.manifest)).json(), options),
  );
  const total = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  log(`loading extract ${manifest.extractId}: ${manifest.files.length} files, ${total} bytes`);

  let loaded = 0;
  for (const [index, file] of manifest.files.entries()) {
    const target = join(options.dataDir, file.file);
    const prefix = `[${index + 1}/${manifest.files.length}] ${file.file}`;
    if (await alreadyInPlace(target, file)) {
      loaded += file.bytes;
      log(`${prefix}: already in place and verified (${loaded}/${total} bytes)`);
      continue;
    }
    await withRetries(options, file.file, () => fetchFile(options, paths.file(file.file), target, file));
    loaded += file.bytes;
    log(`${prefix}: ${file.bytes} bytes, sha256 verified (${loaded}/${total} bytes)`);
  }

  const manifestTemp = join(options.dataDir, `.${MANIFEST_FILE}.partial-${randomBytes(6).toString('hex')}`);
  await writeFile(manifestTemp, `${JSON.stringify(manifest.manifest, null, 2)}\n`, {
    flag: 'wx',
    mode: 0o640,
  });
  await rename(manifestTemp, join(options.dataDir, MANIFEST_FILE));

  const outcome = { filesVerified: manifest.files.length, bytes: total };
  await reportCompletion(options, paths.completion, outcome);
  log(`load complete: ${outcome.filesVerified} files, ${outcome.bytes} bytes verified; the token is spent`);
  return outcome;
}

async function fetchFile(
  options: LoaderOptions,
  url: string,
  target: string,
  expected: { file: string; sha256: string; bytes: number },
): Promise<void> {
  const temp = join(options.dataDir, `.${expected.file}.partial-${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const response = await request(options, url);
    if (!response.body) throw new TransientError(`no body for ${expected.file}`);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(temp, { flags: 'wx', mode: 0o640 }),
    ).catch((error: unknown) => {
      throw new TransientError(`${expected.file} broke off after ${bytes} bytes: ${describe(error)}`);
    });
    const sha256 = hash.digest('hex');
    if (sha256 !== expected.sha256 || bytes !== expected.bytes)
      throw new LoadVerificationError(expected.file, expected, { sha256, bytes });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A retried Job finds the files an earlier attempt verified; they are checked again rather than refetched. */
async function alreadyInPlace(path: string, expected: { sha256: string; bytes: number }): Promise<boolean> {
  const size = await stat(path).then(
    (info) => (info.isFile() ? info.size : -1),
    () => -1,
  );
  if (size !== expected.bytes) return false;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex') === expected.sha256;
}

async function reportCompletion(options: LoaderOptions, url: string, outcome: LoadOutcome): Promise<void> {
  let attempt = 0;
  await withRetries(options, 'the completion report', async () => {
    attempt += 1;
    try {
      await request(options, url, { method: 'POST', body: JSON.stringify(outcome) });
    } catch (error) {
      // The report may have landed before the connection dropped: the retry then finds the token spent.
      if (
        attempt > 1 &&
        error instanceof LoadRequestError &&
        error.status === 401 &&
        /\(completed\)/.test(error.message)
      )
        return;
      throw error;
    }
  });
}

async function request(
  options: LoaderOptions,
  url: string,
  init: { method?: string; body?: string } = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      body: init.body,
      headers: {
        Authorization: `Bearer ${options.token}`,
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      },
    });
  } catch (error) {
    throw new TransientError(describe(error));
  }
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  const message = messageOf(text) ?? `HTTP ${response.status}`;
  if (response.status >= 500 || response.status === 429)
    throw new TransientError(`HTTP ${response.status}: ${message}`);
  throw new LoadRequestError(
    response.status,
    `the API refused ${init.method ?? 'GET'} ${new URL(url).pathname} (HTTP ${response.status}): ${message}`,
  );
}

async function withRetries<T>(options: LoaderOptions, what: string, run: () => Promise<T>): Promise<T> {
  const attempts = options.attempts ?? 5;
  let wait = options.backoffMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof TransientError) || attempt >= attempts) {
        if (error instanceof TransientError)
          throw new Error(`could not fetch ${what} after ${attempts} attempts: ${error.message}`);
        throw error;
      }
      options.log?.(`${what}: ${error.message}; retrying in ${wait} ms (attempt ${attempt + 1}/${attempts})`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait *= 2;
    }
  }
}

function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : undefined;
  } catch {
    return text.slice(0, 200) || undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
