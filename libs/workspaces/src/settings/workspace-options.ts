import {
  WORKSPACE_SIZES,
  WORKSPACE_TOOLS,
  type WorkspaceSettings,
  type WorkspaceSize,
  type WorkspaceTool,
} from '../manifests/workspace-settings';
import { workspaceChoicePolicy } from './workspace-settings.module';

export interface WorkspaceSizeOption {
  readonly name: WorkspaceSize;
  readonly cpu: string;
  readonly memory: string;
  readonly dataStorage: string;
  readonly outputsStorage: string;
  readonly isDefault: boolean;
}

export interface WorkspaceToolOption {
  readonly name: WorkspaceTool;
  readonly label: string;
  readonly isDefault: boolean;
}

export interface WorkspaceOptions {
  readonly sizes: WorkspaceSizeOption[];
  readonly tools: WorkspaceToolOption[];
}

const TOOL_LABELS: Record<WorkspaceTool, string> = {
  jupyterlab: 'JupyterLab (Python notebooks)',
  rstudio: 'RStudio (R)',
  'code-server': 'VS Code in the browser (code-server)',
};

/**
 * What an application may ask for in this deployment: every size with what it gives, and the tools of the
 * allow-list (a tool with no image configured is not offered), each marked where it is the default. The
 * application form shows exactly these, so it never offers what the API would refuse.
 */
export function workspaceOptions(settings: WorkspaceSettings): WorkspaceOptions {
  const defaults = workspaceChoicePolicy(settings).resolve(undefined);
  return {
    sizes: WORKSPACE_SIZES.map((name) => {
      const size = settings.sizes[name];
      return {
        name,
        cpu: size.cpu,
        memory: size.memory,
        dataStorage: size.storage.data,
        outputsStorage: size.storage.outputs,
        isDefault: name === defaults.size,
      };
    }),
    tools: WORKSPACE_TOOLS.filter((name) => settings.toolImages[name] !== undefined).map((name) => ({
      name,
      label: TOOL_LABELS[name],
      isDefault: name === defaults.tool,
    })),
  };
}
