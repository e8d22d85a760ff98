import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@tre/audit';
import { CoreConfigModule, DatabaseModule } from '@tre/core';
import { ExtractQueryModule } from '@tre/datasets';
import { LoadGrantsService, WorkspaceLoadingModule, loadExtract, loadPaths } from '@tre/workspaces';
import { DemoFailure, expectStatus, type DemoChapter } from './demo-context';
import { story } from './project.chapters';

/**
 * Shared with the airlock chapters: with no cluster attached, the folder standing in for the workspace's data
 * volume, where the researcher's code in the workspace reads the extract.
 */
export const loaded: { dataDir?: string } = {};

/** What the demo needs to grant a load as the provisioner does, without a worker of its own. */
@Module({
  imports: [CoreConfigModule, DatabaseModule, AuditModule, ExtractQueryModule, WorkspaceLoadingModule],
})
class DemoLoadModule {}

interface WorkspaceSummary {
  id: string;
  projectId: string;
  steps: { name: string; state: string }[];
}

/**
 * In a cluster the loader Job fills the data volume. With no cluster attached the provisioner skips that step,
 * so the demo plays the Job here: the same one-time grant, the same loader code, the same checks against the
 * manifest, into a folder standing for the data volume.
 */
export const loadChapters: DemoChapter[] = [
  {
    title: "The workspace's data volume is filled with its extract through a one-time token",
    async run({ apiUrl, call, people, say }) {
      const workspaces = (
        (await call(people.researcher, 'GET', '/workspaces?pageSize=200')).body as {
          items: WorkspaceSummary[];
        }
      ).items;
      const workspace = workspaces.find((w) => w.projectId === story.projectId);
      if (!workspace) throw new DemoFailure('the project has no workspace');
      const loadStep = workspace.steps.find((s) => s.name === 'load-extract');
      if (loadStep?.state === 'done') {
        say('the loader Job ran in the cluster and verified every file (see the load-extract step above)');
        return;
      }
      const extracts = (
        (await call(people.researcher, 'GET', `/projects/${story.projectId}/extracts?pageSize=200`)).body as {
          items: { id: string; status: string }[];
        }
      ).items;
      const extract = extracts.find((e) => e.status === 'ready');
      if (!extract) throw new DemoFailure('the project has no ready extract to load');
      say('no cluster attached, so the demo runs the loader Job here, as the provisioner would start it');

      const context = await NestFactory.createApplicationContext(DemoLoadModule, { logger: ['error'] });
      try {
        const grants = context.get(LoadGrantsService);
        const scope = { workspaceId: workspace.id, projectId: workspace.projectId, extractId: extract.id };
        const grant = await grants.issue(scope, 600);
        say(`one-time grant issued for this workspace and extract, until ${grant.expiresAt.toISOString()}`);
        const dataDir = (loaded.dataDir = mkdtempSync(join(tmpdir(), 'tre-demo-data-')));
        const outcome = await loadExtract({ apiUrl, ...scope, dataDir, token: grant.token, log: say });
        say(
          `${outcome.filesVerified} files, ${outcome.bytes} bytes, each SHA-256 checked against the manifest`,
        );
        say(`data volume stand-in: ${dataDir}`);

        const again = await fetch(loadPaths({ apiUrl, ...scope }).manifest, {
          headers: { authorization: `Bearer ${grant.token}` },
        });
        expectStatus(again.status, 401, 'reusing the spent load token');
        say('the same token again -> 401: it died when the load was reported complete');
        await grants.revoke(workspace.id);
      } finally {
        await context.close();
      }
    },
  },
];
