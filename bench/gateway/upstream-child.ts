import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { StallWatch } from './stalls';

/**
 * The stand-in tool (a JSON answer, a WebSocket echo) in a process of its own, as a workspace's tool is: in the
 * benchmark's main process the API's work stalled it, and the stall was counted as gateway latency. Sends its
 * port to the parent, then serves until killed. It is also the control for the gateway's stalls: told 'start'
 * and 'stop' over IPC around the same window, it answers with its own (stalls.ts). The same stalls here, in a
 * process doing a fraction of the gateway's work, are the machine's, not the gateway's.
 */
const upstream = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
});
new WebSocketServer({ server: upstream }).on('connection', (socket) =>
  socket.on('message', (m) => socket.send(m)),
);
upstream.listen(0, '127.0.0.1', () => process.send?.((upstream.address() as AddressInfo).port));
process.once('disconnect', () => process.exit(0));
const stalls = new StallWatch();
process.on('message', (message: string) => {
  if (message === 'start') stalls.start();
  else if (message === 'stop') process.send?.(stalls.stop());
});
