import { collectOne, type Sniffer } from './collect-files';
import { listOutputFiles } from './output-listing';

export interface CollectorOptions {
  readonly apiUrl: string;
  readonly requestId: string;
  readonly outputsDir: string;
  readonly token: string;
  readonly sniff: Sniffer;
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly log?: (line: string) => void;
}

interface Plan {
  maxFileBytes: number;
  maxRecordBytes: number;
  items: { index: number; path: string; recordPath: string | null }[];
}

export type CollectorItemResult =
  | { status: 'stored'; fileId: string; sha256: string; sizeBytes: number }
  | { status: 'failed'; reason: string };

/** The intake refused a request (4xx other than 429): retrying would not help. */
export class CollectRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CollectRequestError';
  }
}

class TransientError extends Error {}

/**
 * The collector: asks the intake which paths its grant names, collects each by the path, size and type rules
 * (`collectOne`), sends the bytes with the SHA-256 read here (record first, then file), reports each refusal
 * with its reason, and ends with the completion report, which spends the token. A refused item does not stop
 * the others. The token is never printed.
 */
export async function runCollector(options: CollectorOptions): Promise<CollectorItemResult[]> {
  const log = options.log ?? (() => undefined);
  const base = `${options.apiUrl.replace(/\/+$/, '')}/output-intake/${encodeURIComponent(options.requestId)}`;
  const call = (
    path: string,
    init: { method: string; body?: Buffer | string; headers?: Record<string, string> },
  ) => withRetries(options, () => send(options.token, `${base}${path}`, init));
  const plan = (await (await call('/plan', { method: 'GET' })).json()) as Plan;
  log(`collecting ${plan.items.length} file(s) for output request ${options.requestId}`);
  for (const item of plan.items) {
    const result = await collectOne(options.outputsDir, item, {
      maxFileBytes: plan.maxFileBytes,
      maxRecordBytes: plan.maxRecordBytes,
      sniff: options.sniff,
    });
    const prefix = `[${item.index + 1}/${plan.items.length}] ${item.path}`;
    if (!result.ok) {
      log(`${prefix}: refused: ${result.reason}`);
      await call(`/items/${item.index}/failure`, {
        method: 'POST',
        body: JSON.stringify({ reason: result.reason }),
        headers: { 'Content-Type': 'application/json' },
      });
      continue;
    }
    const file = result.file;
    try {
      if (file.record)
        await call(`/items/${item.index}/record`, {
          method: 'PUT',
          body: file.record.content,
          headers: { 'Content-Type': 'application/octet-stream', 'X-Content-SHA256': file.record.sha256 },
        });
      await call(`/items/${item.index}/file`, {
        method: 'PUT',
        body: file.content,
        headers: {
          'Content-Type': 'application/octet-stream',
          'X-Content-SHA256': file.sha256,
          'X-Modified-At': file.modifiedAt,
        },
      });
      log(`${prefix}: sent, ${file.sizeBytes} bytes, sha256 ${file.sha256}`);
    } catch (error: unknown) {
      // The intake refused this item and recorded why; the next item goes on.
      if (!(error instanceof CollectRequestError) || error.status === 401) throw error;
      log(`${prefix}: refused by the intake: ${error.message}`);
    }
  }
  const results = (await (await call('/completion', { method: 'POST' })).json()) as CollectorItemResult[];
  const stored = results.filter((r) => r.status === 'stored').length;
  log(`collection complete: ${stored} stored, ${results.length - stored} refused; the token is spent`);
  return results;
}

export interface ListingCollectorOptions {
  readonly apiUrl: string;
  readonly listingId: string;
  readonly outputsDir: string;
  readonly token: string;
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * The collector in list mode: walks the outputs folder by the collector's rules (`listOutputFiles`: lstat, no
 * link followed, regular files only, each file's record beside it) and reports the listing once to the
 * listing intake, which spends the token. Sends names, sizes and times only, never a file's bytes.
 */
export async function runListingCollector(options: ListingCollectorOptions): Promise<{ files: number }> {
  const log = options.log ?? (() => undefined);
  const listing = await listOutputFiles(options.outputsDir);
  log(
    `listed ${listing.files.length} file(s), ${listing.skipped.length} skipped${listing.truncated ? ' (cut short)' : ''}`,
  );
  const url = `${options.apiUrl.replace(/\/+$/, '')}/output-listing-intake/${encodeURIComponent(options.listingId)}`;
  const answer = (await (
    await withRetries(options, () =>
      send(options.token, url, {
        method: 'POST',
        body: JSON.stringify(listing),
        headers: { 'Content-Type': 'application/json' },
      }),
    )
  ).json()) as { files: number };
  log(`listing reported: ${answer.files} file(s); the token is spent`);
  return answer;
}

async function send(
  token: string,
  url: string,
  init: { method: string; body?: Buffer | string; headers?: Record<string, string> },
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      body: init.body,
      headers: { Authorization: `Bearer ${token}`, ...init.headers },
    });
  } catch (error: unknown) {
    throw new TransientError(error instanceof Error ? error.message : String(error));
  }
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: the text as it came
  }
  if (response.status >= 500 || response.status === 429)
    throw new TransientError(`HTTP ${response.status}: ${message}`);
  throw new CollectRequestError(
    response.status,
    `the intake refused ${init.method} ${new URL(url).pathname} (HTTP ${response.status}): ${message}`,
  );
}

async function withRetries<T>(
  options: Pick<CollectorOptions, 'attempts' | 'backoffMs'>,
  run: () => Promise<T>,
): Promise<T> {
  const attempts = options.attempts ?? 4;
  let wait = options.backoffMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error: unknown) {
      if (!(error instanceof TransientError)) throw error;
      if (attempt >= attempts)
        throw new Error(`the intake did not answer after ${attempts} attempts: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait *= 2;
    }
  }
}
