import { fork } from 'node:child_process';

/**
 * Runs one load generator in a process of its own (so its work is not counted as the measured process's): forks
 * `childScript`, sends it `job`, and resolves with the one message it answers before exiting.
 */
export function runLoadProcess<Job, Result>(childScript: string, job: Job): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(childScript, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (result: Result) => resolve(result));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with ${code}`));
    });
    child.send(job as object);
  });
}
