import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionRegistry } from './session-registry';

/** The gateway's own registry (one per replica, so several can run in one process under test). */
export function gatewayMetrics(sessions: SessionRegistry, withDefaults: boolean) {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'gateway' });
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'tre_' });
  new Gauge({
    name: 'tre_gateway_live_sessions',
    help: 'Sessions this gateway replica holds',
    registers: [registry],
    collect() {
      this.set(sessions.all().length);
    },
  });
  new Gauge({
    name: 'tre_gateway_open_websockets',
    help: 'WebSockets this gateway replica proxies',
    registers: [registry],
    collect() {
      this.set(sessions.socketCount());
    },
  });
  return {
    registry,
    denials: new Counter({
      name: 'tre_gateway_denials_total',
      help: 'Requests and tickets the gateway refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    bytes: new Counter({
      name: 'tre_gateway_bytes_total',
      help: 'Bytes proxied, by direction (in: to the tool; out: to the person)',
      labelNames: ['direction'],
      registers: [registry],
    }),
    sessionsEnded: new Counter({
      name: 'tre_gateway_sessions_cut_total',
      help: 'Sessions this replica cut, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
