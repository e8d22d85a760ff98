import type { Labels } from './kube-types';

export const WORKSPACE_SIZES = ['small', 'medium', 'large'] as const;
export type WorkspaceSize = (typeof WORKSPACE_SIZES)[number];

export const WORKSPACE_TOOLS = ['jupyterlab', 'rstudio', 'code-server'] as const;
export type WorkspaceTool = (typeof WORKSPACE_TOOLS)[number];

/** What one workspace is: the only per-workspace input of the manifest builders. */
export interface WorkspaceSpec {
  workspaceId: string;
  projectId: string;
  size: WorkspaceSize;
  tool: WorkspaceTool;
  /**
   * The namespace the workspace's row names. Builders for an existing workspace pass it, so a later change of
   * `namespacePrefix` cannot point them at another namespace; left out, it is derived from the prefix (a new
   * workspace, whose row takes the derived name).
   */
  namespace?: string;
}

export interface SizeSettings {
  /** CPU and memory of the tool container (requests = limits, so the pod is Guaranteed and predictable). */
  cpu: string;
  memory: string;
  storage: { data: string; outputs: string };
  /** Most pods the namespace may hold (the tool, the loader while it runs, room for a restart). */
  pods: number;
}

/** One entry of the allow-list of analysis tools: nothing outside it can run in a workspace. */
export interface ToolImage {
  /** Prefer a digest (`repo@sha256:...`) so the allow-list names exactly what runs. */
  image: string;
  port: number;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  /** Non-zero ids the image can run as (the restricted profile refuses root); default 1000. */
  runAsUser?: number;
  runAsGroup?: number;
  /** Paths the tool must write besides /tmp (its home, caches); each gets an emptyDir on a read-only root. */
  writablePaths?: string[];
}

/**
 * Whom a NetworkPolicy admits, by labels. Namespace labels must name at least one label: an empty namespace
 * selector would match every namespace in the cluster.
 */
export interface PeerSelector {
  namespaceLabels: Labels;
  podLabels?: Labels;
}

export interface CidrPeer {
  cidr: string;
}

export interface ApiEgressSettings {
  /** Base URL the loader calls. An IP literal needs no DNS; a host name needs `dns` below. */
  url: string;
  /**
   * Destination port the policy opens. Policies see traffic after a Service's address translation, so with a
   * peer selector this is the API pod's port (targetPort), not the Service port.
   */
  port: number;
  /**
   * Where the API is. A selector of the API pods works with any CNI; a CIDR suits an API reached outside the
   * cluster (ClusterIPs in an ipBlock are not honoured by most network plugins).
   */
  to: CidrPeer | PeerSelector;
  /**
   * The cluster DNS to let the loader query (UDP and TCP 53). Absent by default: the loader then reaches the API
   * by IP and no DNS egress is opened, which also closes DNS as a channel out of the workspace.
   */
  dns?: PeerSelector;
}

/** The loader Job: this service's own image, run once per extract to fill the data volume. */
export interface LoaderSettings {
  cpu: string;
  memory: string;
  /** The service image runs as 10001:10001 (see the Dockerfile). */
  runAsUser: number;
  runAsGroup: number;
  backoffLimit: number;
  activeDeadlineSeconds: number;
  ttlSecondsAfterFinished: number;
}

export interface WorkspaceSettings {
  /** Namespaces are `<prefix><workspace id>`; the prefix also lets operators see what we manage. */
  namespacePrefix: string;
  sizes: Record<WorkspaceSize, SizeSettings>;
  toolImages: Partial<Record<WorkspaceTool, ToolImage>>;
  /** The access gateway, the only peer that may open a connection to a workspace. */
  gateway: PeerSelector;
  apiEgress: ApiEgressSettings;
  loaderImage: string;
  loader: LoaderSettings;
  /** Group that owns the volumes in every workspace pod, so files the loader writes are readable by the tool. */
  fsGroup: number;
  /** Storage class of the volumes; the cluster default when absent. */
  storageClassName?: string;
}

/** Loader values that suit the service image; a deployment may override any of them. */
export const DEFAULT_LOADER_SETTINGS: LoaderSettings = {
  cpu: '500m',
  memory: '512Mi',
  runAsUser: 10001,
  runAsGroup: 10001,
  backoffLimit: 2,
  activeDeadlineSeconds: 1800,
  ttlSecondsAfterFinished: 600,
};
