/**
 * A workspace worker in a process of its own, as `startWorkspaceWorker` makes it, for a test that kills it as a
 * crash does (SIGKILL): its connections close, its database transactions roll back, its job locks lapse. It
 * reads the test's environment from its own (the parent passes it on) and says `ready` once it takes jobs.
 */
import { TestLoadTokenIssuer } from './test-load-token-issuer';
import { startWorkspaceWorker } from './workspace-fixtures';

startWorkspaceWorker(new TestLoadTokenIssuer()).then(
  () => process.stdout.write('ready\n'),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
