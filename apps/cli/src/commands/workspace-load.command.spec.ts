import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliUsageError } from '../cli-errors';
import { runWorkspaceLoad } from './workspace-load.command';

const TOKEN = `trel_${'A'.repeat(43)}`;
const env = (overrides: Record<string, string> = {}) => ({
  TRE_API_URL: 'http://127.0.0.1:1',
  TRE_WORKSPACE_ID: '00000000-0000-4000-8000-000000000001',
  TRE_PROJECT_ID: '00000000-0000-4000-8000-000000000002',
  TRE_EXTRACT_ID: '00000000-0000-4000-8000-000000000003',
  TRE_DATA_DIR: '/nonexistent',
  TRE_LOAD_TOKEN: TOKEN,
  ...overrides,
});

describe('tre workspace load: why it failed, for Kubernetes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tre-termination-'));
  const terminationLog = (name: string) => {
    const path = join(dir, name);
    // The kubelet mounts the file before the container starts; the loader never makes it.
    writeFileSync(path, 'stale\n');
    return path;
  };

  it('writes the failure as one line to the termination log and fails as it would have', async () => {
    const path = terminationLog('usage');
    const error: unknown = await runWorkspaceLoad(env({ TRE_EXTRACT_ID: 'nope' }), () => undefined, {
      terminationLogPath: path,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliUsageError);
    expect(readFileSync(path, 'utf8')).toBe('extractId must be a UUID, got "nope"\n');
  });

  it('never writes anything token-like there', async () => {
    const path = terminationLog('token');
    const error: unknown = await runWorkspaceLoad(env({ TRE_API_URL: TOKEN }), () => undefined, {
      terminationLogPath: path,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain(TOKEN);
    const written = readFileSync(path, 'utf8');
    expect(written).toBe('TRE_API_URL must be an http(s) URL, got "[redacted]"\n');
    expect(written).not.toContain('trel_');
  });

  it('never creates the file and never fails because of it', async () => {
    const missing = join(dir, 'absent', 'termination-log');
    const error: unknown = await runWorkspaceLoad(env({ TRE_EXTRACT_ID: 'nope' }), () => undefined, {
      terminationLogPath: missing,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliUsageError);
    expect(existsSync(missing)).toBe(false);
  });
});
