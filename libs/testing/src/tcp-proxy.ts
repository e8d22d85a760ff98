import { createServer, connect, type Server, type Socket } from 'node:net';

/** How the proxy treats connections: pass them through, refuse them, or take them and never answer. */
export type ProxyMode = 'forward' | 'refuse' | 'blackhole';

export interface TcpProxy {
  readonly port: number;
  /** `postgres://...` or `redis://...` with the proxy's port in place of the target's. */
  url(targetUrl: string): string;
  mode(): ProxyMode;
  /** Stops listening (clients get ECONNREFUSED) and cuts every open connection. */
  refuse(): Promise<void>;
  /** Accepts connections but forwards nothing, either way, on new and open connections alike. */
  blackhole(): Promise<void>;
  /** Forwards again; connections that were black-holed are cut, so their clients reconnect. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a shared server (Postgres, Redis) that a test can make misbehave without touching
 * the server itself, which other test files are using.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let current: ProxyMode = 'forward';
  let server: Server | undefined;
  let port = 0;
  const pairs = new Set<{ client: Socket; upstream?: Socket }>();

  const cutAll = () => {
    for (const pair of pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    pairs.clear();
  };

  const onConnection = (client: Socket) => {
    const pair: { client: Socket; upstream?: Socket } = { client };
    pairs.add(pair);
    client.on('error', () => undefined).on('close', () => pairs.delete(pair));
    if (current === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy()).on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.on('data', (chunk) => {
      if (current === 'forward') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (current === 'forward') client.write(chunk);
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(onConnection);
      next.once('error', reject).listen(port, '127.0.0.1', () => {
        port = (next.address() as { port: number }).port;
        server = next;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const old = server;
      server = undefined;
      if (!old) return resolve();
      old.close(() => resolve());
    });

  await listen();
  return {
    get port() {
      return port;
    },
    url: (targetUrl) => {
      const url = new URL(targetUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    mode: () => current,
    refuse: async () => {
      current = 'refuse';
      const closing = stopListening();
      cutAll();
      await closing;
    },
    blackhole: async () => {
      if (!server) await listen();
      // Open connections go silent too: what was on its way is dropped, as on a dead network path.
      current = 'blackhole';
    },
    heal: async () => {
      const wasBlackhole = current === 'blackhole';
      current = 'forward';
      if (wasBlackhole) cutAll();
      if (!server) await listen();
    },
    close: async () => {
      current = 'refuse';
      const closing = stopListening();
      cutAll();
      await closing;
    },
  };
}
