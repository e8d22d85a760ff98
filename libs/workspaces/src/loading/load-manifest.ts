/** The manifest as the loader receives it (see ExtractDeliveryService.manifest). */
export interface LoadManifestBody {
  workspaceId: string;
  projectId: string;
  extractId: string;
  files: { dataset: string; file: string; rows: number; sha256: string; bytes: number }[];
  manifest: Record<string, unknown>;
}

/** A plain file name: no directory part, not hidden, not the manifest's own name. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;
const SHA256 = /^[0-9a-f]{64}$/;

class ManifestError extends Error {
  constructor(reason: string) {
    super(`the load manifest is unusable: ${reason}`);
    this.name = 'ManifestError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks what the API sent before anything is written: the scope is the one this loader was started for, and
 * every file name is a plain name (the loader writes only inside its data directory, whatever it is told).
 */
export function parseLoadManifest(
  body: unknown,
  expected: { workspaceId: string; projectId: string; extractId: string },
): LoadManifestBody {
  if (!isRecord(body) || !Array.isArray(body.files) || !isRecord(body.manifest))
    throw new ManifestError('it has no files list or no extract manifest');
  for (const key of ['workspaceId', 'projectId', 'extractId'] as const)
    if (body[key] !== expected[key])
      throw new ManifestError(`it is for ${key} ${String(body[key])}, not ${expected[key]}`);
  const seen = new Set<string>();
  const files = body.files.map((entry: unknown, index) => {
    if (!isRecord(entry)) throw new ManifestError(`file ${index + 1} is not an object`);
    const { dataset, file, rows, sha256, bytes } = entry;
    if (typeof file !== 'string' || !SAFE_NAME.test(file) || file === 'manifest.json' || file.includes('..'))
      throw new ManifestError(`file ${index + 1} has an unsafe name ${JSON.stringify(file)}`);
    if (seen.has(file)) throw new ManifestError(`${file} is listed twice`);
    seen.add(file);
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) throw new ManifestError(`${file} has no SHA-256`);
    if (!Number.isSafeInteger(bytes) || (bytes as number) < 0) throw new ManifestError(`${file} has no size`);
    return {
      dataset: typeof dataset === 'string' ? dataset : '',
      file,
      rows: typeof rows === 'number' ? rows : 0,
      sha256,
      bytes: bytes as number,
    };
  });
  return {
    workspaceId: expected.workspaceId,
    projectId: expected.projectId,
    extractId: expected.extractId,
    files,
    manifest: body.manifest,
  };
}
