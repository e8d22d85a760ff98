import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@tre/core';

/** Where the app's pages live in URLs: the API's routes stay where they are, the app has its own prefix. */
export const WEB_APP_PREFIX = '/app';

/**
 * The built web app: WEB_APP_DIR, or dist/web of this checkout (`npm run build` writes it). This file runs from
 * apps/api/src/web-app under the tests and from dist/apps/api/src/web-app when built: four levels up is the
 * repository or dist/.
 */
export function webAppDir(config: Pick<AppConfig, 'webAppDir'>): string {
  if (config.webAppDir) return resolve(config.webAppDir);
  const up = resolve(__dirname, '..', '..', '..', '..');
  return basename(up) === 'dist' ? join(up, 'web') : join(up, 'dist', 'web');
}

export const webAppIndex = (dir: string): string => join(dir, 'index.html');
export const webAppBuilt = (dir: string): boolean => existsSync(webAppIndex(dir));

/** Registers the file sender the page route uses (`reply.sendFile`); it serves nothing by itself. */
export function registerWebAppFiles(app: NestFastifyApplication, config: Pick<AppConfig, 'webAppDir'>): void {
  void app.register(fastifyStatic, { root: webAppDir(config), serve: false });
}

/**
 * The app's file at `path` (relative to /app, as sent: percent-encoded), if it is one of the app's files; never
 * a file outside the app's folder.
 */
export async function webAppFile(dir: string, path: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const file = resolve(dir, decoded);
  if (!file.startsWith(`${dir}${sep}`)) return undefined;
  const found = await stat(file).catch(() => undefined);
  return found?.isFile() ? file : undefined;
}

/** Vite names the scripts and styles (under assets/) by their content: those may be cached for ever. */
export const webAppFileCaching = (dir: string, file: string): string =>
  file.startsWith(join(dir, 'assets', sep)) ? 'public, max-age=31536000, immutable' : 'no-cache';
