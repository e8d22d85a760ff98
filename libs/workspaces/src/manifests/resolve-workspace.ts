import type { Labels } from './kube-types';
import { commonLabels } from './labels';
import { canonicalUuid, workspaceNamespaceName } from './names';
import { assertValidWorkspaceSettings } from './validate-settings';
import { InvalidWorkspaceSpecError, UnknownSizeError, UnknownToolError } from './workspace-errors';
import {
  WORKSPACE_SIZES,
  WORKSPACE_TOOLS,
  type SizeSettings,
  type ToolImage,
  type WorkspaceSettings,
  type WorkspaceSpec,
  type WorkspaceTool,
} from './workspace-settings';

/** A tool entry with its defaults filled in. */
export type ResolvedTool = Required<Omit<ToolImage, 'command' | 'args'>> &
  Pick<ToolImage, 'command' | 'args'>;

/** Everything a builder needs, checked once: ids canonical, size and tool known, settings safe. */
export interface ResolvedWorkspace {
  workspaceId: string;
  projectId: string;
  namespace: string;
  labels: Labels;
  size: SizeSettings;
  toolName: WorkspaceTool;
  tool: ResolvedTool;
  settings: WorkspaceSettings;
}

/** Ids the tool image runs as when its allow-list entry does not say; the common non-root user of these images. */
export const DEFAULT_TOOL_USER_ID = 1000;

function canonicalId(field: 'workspaceId' | 'projectId', value: unknown): string {
  const id = typeof value === 'string' ? canonicalUuid(value) : undefined;
  if (!id) throw new InvalidWorkspaceSpecError(field, 'must be a UUID');
  return id;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The row's namespace when the spec carries it (checked as a DNS label), else the one the prefix derives. */
function namespaceOf(spec: WorkspaceSpec, settings: WorkspaceSettings, workspaceId: string): string {
  if (spec.namespace === undefined) return workspaceNamespaceName(settings.namespacePrefix, workspaceId);
  if (typeof spec.namespace !== 'string' || !DNS_LABEL.test(spec.namespace))
    throw new InvalidWorkspaceSpecError('namespace', 'must be a DNS label (a-z, 0-9, -; at most 63)');
  return spec.namespace;
}

/**
 * Validates the spec against the settings. Inputs are checked at run time even though they are typed: the
 * spec comes from the database and the request, and a tool or size outside the lists must stop here.
 */
export function resolveWorkspace(spec: WorkspaceSpec, settings: WorkspaceSettings): ResolvedWorkspace {
  assertValidWorkspaceSettings(settings);
  const workspaceId = canonicalId('workspaceId', spec.workspaceId);
  const projectId = canonicalId('projectId', spec.projectId);
  if (!(WORKSPACE_SIZES as readonly string[]).includes(spec.size)) {
    throw new UnknownSizeError(String(spec.size), WORKSPACE_SIZES);
  }
  const allowed = WORKSPACE_TOOLS.filter((tool) => settings.toolImages[tool] !== undefined);
  const toolName = allowed.find((tool) => tool === spec.tool);
  const image = toolName ? settings.toolImages[toolName] : undefined;
  if (!toolName || !image) throw new UnknownToolError(String(spec.tool), allowed);
  return {
    workspaceId,
    projectId,
    namespace: namespaceOf(spec, settings, workspaceId),
    labels: commonLabels({ workspaceId, projectId }),
    size: settings.sizes[spec.size],
    toolName,
    tool: {
      image: image.image,
      port: image.port,
      command: image.command,
      args: image.args,
      env: image.env ?? {},
      runAsUser: image.runAsUser ?? DEFAULT_TOOL_USER_ID,
      runAsGroup: image.runAsGroup ?? DEFAULT_TOOL_USER_ID,
      writablePaths: image.writablePaths ?? [],
    },
    settings,
  };
}
