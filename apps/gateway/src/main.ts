import { Logger } from '@nestjs/common';
import { eventsChannel, loadConfig, redisOptionsFromUrl } from '@tre/core';
import { Gateway } from './gateway';
import { parseLocalUpstreams } from './upstreams';

/** `npm run start:gateway`: the access gateway on GATEWAY_PORT, enforcing the API's decisions. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.gatewayApiSecret) throw new Error('GATEWAY_API_SECRET is required to run the gateway');
  const gateway = new Gateway({
    port: config.gatewayPort,
    apiUrl: config.gatewayApiUrl,
    apiSecret: config.gatewayApiSecret,
    publicUrl: config.gatewayPublicUrl,
    redis: redisOptionsFromUrl(config.redisUrl),
    eventsChannel: eventsChannel(config.queuePrefix),
    decisionCacheMs: config.gatewayDecisionCacheSeconds * 1000,
    sweepMs: config.gatewaySweepSeconds * 1000,
    reportMs: Math.min(5_000, config.gatewaySweepSeconds * 1000),
    localUpstreams: parseLocalUpstreams(config.gatewayLocalUpstreams),
    defaultMetrics: true,
  });
  const port = await gateway.start();
  const logger = new Logger('Gateway');
  logger.log(`access gateway on port ${port}, deciding with ${config.gatewayApiUrl}`);
  const stop = () => void gateway.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
