import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExtract, LoadRequestError, LoadVerificationError, type LoaderOptions } from './extract-loader';

const WORKSPACE = '3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f';
const PROJECT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const EXTRACT = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const TOKEN = `trel_${'a'.repeat(43)}`;
const BASE = `/workspace-load/${WORKSPACE}/extracts/${EXTRACT}`;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const FILES: Record<string, Buffer> = {
  'GP_REGISTRATIONS.csv': Buffer.from(`pseudonym,sex\n${'p1,F\n'.repeat(20_000)}`),
  'HES_APC.csv': Buffer.from('pseudonym,diagnosis\np1,J45\n'),
};

interface Faults {
  /** Bytes served instead of a file's real ones. */
  tamper?: Record<string, Buffer>;
  /** How many requests of a file to cut off halfway. */
  dropFile?: Record<string, number>;
  /** A status every request answers with. */
  status?: number;
  /** Overrides of the manifest body. */
  manifest?: Record<string, unknown>;
}

/** A stand-in for the API's loader routes, recording what it was asked. */
class FakeLoadApi {
  readonly requests: { method: string; path: string; authorization?: string }[] = [];
  readonly completions: unknown[] = [];
  private server!: Server;
  constructor(private readonly faults: Faults = {}) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.faults.status) return json(this.faults.status, { message: 'refused on purpose' });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { message: 'bad token' });
    if (path === `${BASE}/manifest`) {
      return json(200, {
        workspaceId: WORKSPACE,
        projectId: PROJECT,
        extractId: EXTRACT,
        files: Object.entries(FILES).map(([file, data]) => ({
          dataset: file.replace('.csv', ''),
          file,
          rows: 1,
          sha256: sha256(data),
          bytes: data.length,
        })),
        manifest: { extractId: EXTRACT, note: 'the extract manifest' },
        ...this.faults.manifest,
      });
    }
    const file = decodeURIComponent(path.slice(`${BASE}/files/`.length));
    if (path.startsWith(`${BASE}/files/`) && FILES[file]) {
      const data = this.faults.tamper?.[file] ?? FILES[file];
      res.writeHead(200, { 'Content-Length': data.length });
      const drops = this.faults.dropFile?.[file] ?? 0;
      if (drops > 0) {
        this.faults.dropFile![file] = drops - 1;
        res.write(data.subarray(0, data.length >> 1));
        setTimeout(() => res.destroy(), 10);
        return;
      }
      return void res.end(data);
    }
    if (path === `${BASE}/completion` && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.completions.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      return json(200, { completedAt: new Date().toISOString() });
    }
    json(404, { message: 'no such route' });
  }
}

describe('loadExtract', () => {
  let api: FakeLoadApi;
  let dataDir: string;
  let lines: string[];

  const run = async (faults: Faults = {}, overrides: Partial<LoaderOptions> = {}) => {
    api = new FakeLoadApi(faults);
    const apiUrl = await api.start();
    return loadExtract({
      apiUrl,
      workspaceId: WORKSPACE,
      projectId: PROJECT,
      extractId: EXTRACT,
      dataDir,
      token: TOKEN,
      attempts: 3,
      backoffMs: 5,
      log: (line) => lines.push(line),
      ...overrides,
    });
  };

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'tre-loader-')), 'data');
    lines = [];
  });
  afterEach(() => api.stop());

  it('writes every file verified, the manifest beside them, then reports completion', async () => {
    const total = Object.values(FILES).reduce((sum, data) => sum + data.length, 0);
    await expect(run()).resolves.toEqual({ filesVerified: 2, bytes: total });
    for (const [file, data] of Object.entries(FILES)) expect(readFileSync(join(dataDir, file))).toEqual(data);
    expect(JSON.parse(readFileSync(join(dataDir, 'manifest.json'), 'utf8'))).toEqual({
      extractId: EXTRACT,
      note: 'the extract manifest',
    });
    expect(readdirSync(dataDir).sort()).toEqual(['GP_REGISTRATIONS.csv', 'HES_APC.csv', 'manifest.json']);
    expect(api.completions).toEqual([{ filesVerified: 2, bytes: total }]);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(lines.some((line) => line.startsWith('[1/2] GP_REGISTRATIONS.csv'))).toBe(true);
    expect(lines.some((line) => line.includes(`${total}/${total} bytes`))).toBe(true);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('fails loudly on a tampered file: both hashes named, nothing of it left behind, no completion', async () => {
    const tampered = Buffer.from('pseudonym,diagnosis\np1,J46\n');
    const error: unknown = await run({ tamper: { 'HES_APC.csv': tampered } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadVerificationError);
    const message = (error as Error).message;
    expect(message).toContain('HES_APC.csv');
    expect(message).toContain(sha256(FILES['HES_APC.csv']));
    expect(message).toContain(sha256(tampered));
    expect(existsSync(join(dataDir, 'HES_APC.csv'))).toBe(false);
    expect(readdirSync(dataDir).filter((entry) => entry.startsWith('.'))).toEqual([]);
    expect(existsSync(join(dataDir, 'manifest.json'))).toBe(false);
    expect(api.completions).toEqual([]);
    expect(api.requests.filter((r) => r.path.endsWith('HES_APC.csv'))).toHaveLength(1);
  });

  it('refuses a file with bytes appended (wrong size and hash)', async () => {
    const longer = Buffer.concat([FILES['HES_APC.csv'], Buffer.from('p2,J45\n')]);
    await expect(run({ tamper: { 'HES_APC.csv': longer } })).rejects.toThrow(/HES_APC\.csv does not match/);
    expect(api.completions).toEqual([]);
  });

  it('retries a connection dropped mid-file with backoff, and keeps no partial file', async () => {
    await expect(run({ dropFile: { 'GP_REGISTRATIONS.csv': 2 } })).resolves.toMatchObject({
      filesVerified: 2,
    });
    expect(api.requests.filter((r) => r.path.endsWith('GP_REGISTRATIONS.csv'))).toHaveLength(3);
    expect(lines.filter((line) => line.includes('retrying'))).toHaveLength(2);
    expect(readdirSync(dataDir).filter((entry) => entry.startsWith('.'))).toEqual([]);
    expect(api.completions).toHaveLength(1);
  });

  it('gives up after the last attempt when the API keeps failing', async () => {
    await expect(run({ status: 503 })).rejects.toThrow(/could not fetch the manifest after 3 attempts/);
    expect(api.requests).toHaveLength(3);
  });

  it('does not retry a refused token', async () => {
    const error: unknown = await run({}, { token: `trel_${'b'.repeat(43)}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadRequestError);
    expect((error as LoadRequestError).status).toBe(401);
    expect(api.requests).toHaveLength(1);
  });

  it.each([
    ['a path outside the data directory', '../escape.csv'],
    ['an absolute path', '/etc/passwd'],
    ['a hidden file', '.bashrc'],
    ['the manifest itself', 'manifest.json'],
  ])('refuses a manifest naming %s, before writing anything', async (_what, file) => {
    const manifest = { files: [{ dataset: 'X', file, rows: 1, sha256: 'a'.repeat(64), bytes: 1 }] };
    await expect(run({ manifest })).rejects.toThrow(/unsafe name/);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a manifest for another extract', async () => {
    await expect(run({ manifest: { extractId: PROJECT } })).rejects.toThrow(/is for extractId/);
  });

  it('keeps a file an earlier attempt verified and removes partial files it left', async () => {
    await run();
    await api.stop();
    writeFileSync(join(dataDir, '.HES_APC.csv.partial-0123abcd'), 'half');
    await run();
    expect(api.requests.filter((r) => r.path.includes('/files/'))).toHaveLength(0);
    expect(lines.filter((line) => line.includes('already in place'))).toHaveLength(2);
    expect(readdirSync(dataDir).filter((entry) => entry.startsWith('.'))).toEqual([]);
  });
});
