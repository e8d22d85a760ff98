import type { Command } from 'commander';
import { isRole, mintDevToken, ROLES, type Role } from '@tre/auth';
import { loadConfig } from '@tre/core';
import { CliUsageError } from '../cli-errors';

function parseRoles(value: string): Role[] {
  const roles = value
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length)
    throw new CliUsageError(`unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  return roles as Role[];
}

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('mint a development bearer token signed with the local key (AUTH_MODE=dev only)')
    .requiredOption('--sub <subject>', 'subject (stable user id at the identity provider)')
    .option('--name <name>', 'display name (defaults to the subject)')
    .option('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`, '')
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 8h (at most AUTH_MAX_TOKEN_AGE_SECONDS)', '8h')
    .action(async (options: { sub: string; name?: string; roles: string; ttl: string }) => {
      const config = loadConfig();
      if (config.authMode !== 'dev')
        throw new CliUsageError('tre token mints development tokens; AUTH_MODE is not dev');
      const ttl = /^(\d+)([smhd])$/.exec(options.ttl);
      if (!ttl) throw new CliUsageError(`--ttl must look like 30m, 8h or 7d, got "${options.ttl}"`);
      // The API refuses a token older than this, whatever its expiry: a longer one would stop working early.
      const seconds = Number(ttl[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[ttl[2] as 's' | 'm' | 'h' | 'd'];
      if (seconds > config.authMaxTokenAgeSeconds)
        throw new CliUsageError(
          `--ttl ${options.ttl} is longer than AUTH_MAX_TOKEN_AGE_SECONDS (${config.authMaxTokenAgeSeconds} s)`,
        );
      const token = await mintDevToken(config.devKeyFile, {
        subject: options.sub,
        name: options.name ?? options.sub,
        roles: parseRoles(options.roles),
        expiresIn: options.ttl,
      });
      process.stdout.write(`${token}\n`);
    });
}
