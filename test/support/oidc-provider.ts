import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface RunningProvider {
  readonly issuer: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts test/support/oidc-provider.mjs and resolves with its issuer once it listens. */
export function startOidcProvider(env: {
  webOrigin: string;
  audience: string;
  accessTokenSeconds: number;
}): Promise<RunningProvider> {
  const child = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: {
      ...process.env,
      WEB_ORIGIN: env.webOrigin,
      AUDIENCE: env.audience,
      ACCESS_TOKEN_SECONDS: String(env.accessTokenSeconds),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const issuer = /issuer=(\S+)/.exec(output)?.[1];
      if (issuer) {
        resolve({
          issuer,
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code}): ${errors}`)));
  });
}
