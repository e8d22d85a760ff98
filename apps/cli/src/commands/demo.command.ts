import { InvalidArgumentError, type Command } from 'commander';
import { runDemo } from '../demo/run-demo';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the API and worker on this machine and walk through the life of a project, narrated')
    .option('--serve', 'keep the API, worker and gateway running afterwards, with the web app, until Ctrl-C')
    .option('--port <port>', 'the API and web app port (default: a free one)', (value) => {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new InvalidArgumentError('a port from 1 to 65535');
      return port;
    })
    .action((options: { serve?: boolean; port?: number }) =>
      runDemo({ serve: options.serve ?? false, port: options.port }),
    );
}
