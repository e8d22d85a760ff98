import type { Command } from 'commander';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { clusterFacts, type ClusterFacts, type WorkspaceStep } from '@tre/workspaces';
import { CliUsageError } from '../cli-errors';
import { withCliContext } from '../context/cli-context';
import { registerWorkspaceCollect } from './workspace-collect.command';
import { registerWorkspaceLoad } from './workspace-load.command';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface WorkspaceRow {
  id: string;
  project_id: string;
  size: string;
  tool: string;
  namespace: string;
  state: string;
  operation: string | null;
  steps: WorkspaceStep[];
  failure_reason: string | null;
  cleanup_pending: boolean;
  teardown_due_at: Date | null;
}

/** Where this deployment's workspaces go, from its settings (the worker's driver is chosen by the same ones). */
export function clusterOf(config: AppConfig): ClusterFacts {
  return config.workspaceDriver === 'kubernetes'
    ? clusterFacts(true, `kubernetes API (${config.kubeconfigPath || 'in-cluster service account'})`)
    : clusterFacts(false, `no cluster attached: manifests written to ${config.workspaceManifestsDir}`);
}

/**
 * One line per step: state, attempts, and what went wrong or when it runs again. Without a cluster, a line
 * under the state says that only manifests were written, so `READY` is never read as a running tool.
 */
export function describeWorkspace(row: WorkspaceRow, cluster: ClusterFacts): string {
  const done = row.steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  const lines = [
    `workspace ${row.id} (project ${row.project_id}): ${row.state.toUpperCase()}` +
      ` ${row.size}/${row.tool} in ${row.namespace}` +
      (row.operation ? `; ${row.operation} ${done}/${row.steps.length}` : ''),
  ];
  if (cluster.clusterNotice) lines.push(`  ${cluster.clusterNotice} (${cluster.clusterTarget})`);
  for (const step of row.steps) {
    const extra = [
      step.attempts > 1 ? `${step.attempts} attempts` : '',
      step.error ? `error: ${step.error}` : '',
      step.nextRetryAt ? `next retry ${step.nextRetryAt}` : '',
      step.note && !step.error ? step.note : '',
    ].filter(Boolean);
    lines.push(`  [${step.state.padEnd(7)}] ${step.name}${extra.length ? `  ${extra.join('; ')}` : ''}`);
  }
  if (row.failure_reason) lines.push(`  reason: ${row.failure_reason}`);
  if (row.cleanup_pending) lines.push('  cleanup pending: the reconciler will delete its namespace');
  if (row.teardown_due_at) lines.push(`  teardown due ${row.teardown_due_at.toISOString()}`);
  return lines.join('\n');
}

/** `tre workspace ...`: other modules (the loader) add their sub-commands to the group this returns. */
export function workspaceGroup(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === 'workspace') ??
    program.command('workspace').description("projects' sealed analysis workspaces")
  );
}

export function registerWorkspace(program: Command): void {
  workspaceGroup(program)
    .command('status')
    .description(
      'show a workspace (or every workspace not deleted) step by step: states, attempts, errors, next retry',
    )
    .argument('[id]', 'workspace id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, options: { json?: boolean }) => {
      if (id !== undefined && !UUID.test(id))
        throw new CliUsageError(`the workspace id must be a uuid, got "${id}"`);
      const { rows, cluster } = await withCliContext(async (context) => ({
        cluster: clusterOf(context.get<AppConfig>(APP_CONFIG)),
        rows: await context
          .get(DataSource)
          .query<WorkspaceRow[]>(
            id
              ? `SELECT * FROM workspaces WHERE id = $1`
              : `SELECT * FROM workspaces WHERE state <> 'deleted' ORDER BY created_at`,
            id ? [id] : [],
          ),
      }));
      if (id && rows.length === 0) throw new CliUsageError(`workspace ${id} does not exist`);
      if (options.json) {
        const withCluster = rows.map((row) => ({
          ...row,
          cluster: cluster.cluster,
          cluster_target: cluster.clusterTarget,
          cluster_notice: cluster.clusterNotice,
        }));
        process.stdout.write(`${JSON.stringify(withCluster)}\n`);
      } else
        process.stdout.write(
          rows.length
            ? `${rows.map((row) => describeWorkspace(row, cluster)).join('\n')}\n`
            : 'no workspaces\n',
        );
    });
  registerWorkspaceLoad(workspaceGroup(program));
  registerWorkspaceCollect(workspaceGroup(program));
}
