import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { WORKSPACE_CHOICE_POLICY, type WorkspaceChoicePolicy } from '@tre/projects';
import { KubernetesDriver } from '../cluster/kubernetes-driver';
import { ManifestsDriver } from '../cluster/manifests-driver';
import type { ClusterDriver } from '../cluster/cluster-driver';
import { resolveWorkspace } from '../manifests/resolve-workspace';
import type { WorkspaceSettings, WorkspaceSize, WorkspaceTool } from '../manifests/workspace-settings';
import { CLUSTER_DRIVER, WORKSPACE_SETTINGS } from '../provisioning/tokens';
import {
  checkLoadTokenLifetime,
  checkProductionWorkspaceSettings,
  loadWorkspaceSettings,
} from './load-workspace-settings';

/** Defaults when an application names no workspace: the smallest size, the first tool of the allow-list. */
export function workspaceChoicePolicy(settings: WorkspaceSettings): WorkspaceChoicePolicy {
  const defaultTool = Object.keys(settings.toolImages)[0] ?? 'jupyterlab';
  const placeholder = '00000000-0000-4000-8000-000000000000';
  return {
    resolve(choice) {
      const size = (choice?.size ?? 'small') as WorkspaceSize;
      const tool = (choice?.tool ?? defaultTool) as WorkspaceTool;
      // The builders' own check, so the edge refuses exactly what provisioning would.
      resolveWorkspace({ workspaceId: placeholder, projectId: placeholder, size, tool }, settings);
      return { size, tool };
    },
  };
}

function driverFor(config: AppConfig): ClusterDriver {
  const driver =
    config.workspaceDriver === 'kubernetes'
      ? KubernetesDriver.create({ kubeconfigPath: config.kubeconfigPath || undefined })
      : new ManifestsDriver(config.workspaceManifestsDir);
  new Logger('Workspaces').log(`Workspace cluster: ${driver.describe()}`);
  return driver;
}

/**
 * The workspace settings (checked at start-up, so a bad file stops the process with every problem named),
 * the choice policy the projects library checks applications with, and the cluster driver.
 */
@Global()
@Module({
  providers: [
    {
      provide: WORKSPACE_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const settings = loadWorkspaceSettings(config.workspaceSettingsFile);
        checkLoadTokenLifetime(settings, config.workspaceLoadTokenTtlSeconds);
        checkProductionWorkspaceSettings(settings, config.workspaceSettingsFile, config.nodeEnv);
        return settings;
      },
    },
    {
      provide: WORKSPACE_CHOICE_POLICY,
      inject: [WORKSPACE_SETTINGS],
      useFactory: workspaceChoicePolicy,
    },
    { provide: CLUSTER_DRIVER, inject: [APP_CONFIG], useFactory: driverFor },
  ],
  exports: [WORKSPACE_SETTINGS, WORKSPACE_CHOICE_POLICY, CLUSTER_DRIVER],
})
export class WorkspaceSettingsModule {}
