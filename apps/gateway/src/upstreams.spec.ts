import { parseLocalUpstreams, upstreamOf } from './upstreams';

describe('upstreams', () => {
  const route = { tool: 'jupyterlab', namespace: 'tre-ws-abc', service: 'tool', port: 8888 };

  it('routes to the workspace tool Service in the cluster when no local map is set', () => {
    expect(upstreamOf('abc', route, new Map()).toString()).toBe('http://tool.tre-ws-abc.svc:8888/');
  });

  it('routes by the local map, a workspace entry before the wildcard', () => {
    const map = parseLocalUpstreams('ABC=http://127.0.0.1:9000, *=http://127.0.0.1:9999');
    expect(upstreamOf('abc', route, map).port).toBe('9000');
    expect(upstreamOf('other', route, map).port).toBe('9999');
  });

  it('names a bad entry', () => {
    expect(() => parseLocalUpstreams('abc=ftp://x')).toThrow(
      '"abc=ftp://x" is not workspace-id=http://host:port',
    );
    expect(() => parseLocalUpstreams('nothing')).toThrow('"nothing"');
  });
});
