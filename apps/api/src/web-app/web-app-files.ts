import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
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

/**
 * The app's files (scripts, styles, icons) under /app, before Nest's routes. Vite names the scripts and
 * styles by their content, so those may be cached for ever; anything else is checked each time. Paths that
 * are not files fall through to the pages route (WebAppController), which answers with the app's page.
 */
export function serveWebAppFiles(server: NestExpressApplication, config: AppConfig): void {
  const dir = webAppDir(config);
  const hashed = join(dir, 'assets');
  server.use(
    WEB_APP_PREFIX,
    express.static(dir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (response, path) => {
        response.setHeader(
          'Cache-Control',
          path.startsWith(hashed) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
}
