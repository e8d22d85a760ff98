/** Where a session's traffic goes, as the API's decision names it. */
export interface SessionRoute {
  tool: string;
  namespace: string;
  service: string;
  port: number;
}

/**
 * Parses GATEWAY_LOCAL_UPSTREAMS: `workspace-id=http://host:port` pairs, comma separated; `*` stands for every
 * workspace. Throws naming the bad entry.
 */
export function parseLocalUpstreams(text: string): Map<string, URL> {
  const map = new Map<string, URL>();
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const index = entry.indexOf('=');
    const key = entry.slice(0, index).trim().toLowerCase();
    let url: URL | undefined;
    try {
      url = index > 0 ? new URL(entry.slice(index + 1).trim()) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || !key)
      throw new Error(`GATEWAY_LOCAL_UPSTREAMS: "${entry}" is not workspace-id=http://host:port`);
    map.set(key, url);
  }
  return map;
}

/**
 * The tool's origin for a workspace: the local map when one is set (no cluster attached: tests and the
 * demo), otherwise the workspace's tool Service by its cluster DNS name.
 */
export function upstreamOf(workspaceId: string, route: SessionRoute, local: Map<string, URL>): URL {
  const mapped = local.get(workspaceId.toLowerCase()) ?? local.get('*');
  if (mapped) return mapped;
  return new URL(`http://${route.service}.${route.namespace}.svc:${route.port}`);
}
