import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './test-worker';

export interface JupyterServer {
  url: URL;
  dir: string;
  stop(): Promise<void>;
}

/** The notebook the test runs: counts the rows of the workspace's extract file. */
function countingNotebook(): string {
  const source = [
    'import csv\n',
    "with open('data/extract.csv') as f:\n",
    '    rows = sum(1 for _ in csv.DictReader(f))\n',
    "print(f'rows={rows}')\n",
  ];
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { cell_type: 'code', id: 'count-rows', metadata: {}, execution_count: null, outputs: [], source },
    ],
  });
}

/**
 * Debian's Jupyter Notebook server for one workspace: served under the workspace's gateway path, no token
 * of its own (the gateway is the only way in), a working folder holding `data/extract.csv` of `rows` rows
 * and `analysis.ipynb`. Started in its own process group, so stopping it stops its kernels too.
 */
export async function startJupyter(workspaceId: string, rows: number): Promise<JupyterServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tre-jupyter-'));
  mkdirSync(join(dir, 'data'));
  const lines = ['pseudonym,age_band'];
  for (let i = 0; i < rows; i++) lines.push(`p${i},40-44`);
  writeFileSync(join(dir, 'data', 'extract.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'analysis.ipynb'), countingNotebook());
  const port = await freePort();
  const child: ChildProcess = spawn(
    'jupyter-notebook',
    [
      '--no-browser',
      '--allow-root',
      '--ip=127.0.0.1',
      `--port=${port}`,
      `--NotebookApp.base_url=/w/${workspaceId}/`,
      '--NotebookApp.token=',
      '--NotebookApp.password=',
      `--notebook-dir=${dir}`,
    ],
    {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, JUPYTER_CONFIG_DIR: join(dir, '.jupyter'), HOME: dir },
    },
  );
  const url = new URL(`http://127.0.0.1:${port}`);
  const stop = async () => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const up = await fetch(new URL(`/w/${workspaceId}/api/kernelspecs`, url)).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { url, dir, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error('the Jupyter server did not answer within 30 s');
}
