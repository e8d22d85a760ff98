import { readFile } from 'node:fs/promises';
import { Controller, Get, Inject, Redirect, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@tre/auth';
import { APP_CONFIG, DomainError, type AppConfig } from '@tre/core';
import { allowingInlineScripts, inlineScriptHashes } from './inline-scripts';
import {
  WEB_APP_PREFIX,
  webAppBuilt,
  webAppDir,
  webAppFile,
  webAppFileCaching,
  webAppIndex,
} from './web-app-files';

/**
 * The web app's pages: `/` leads to the app, and every path under /app that is not one of its files gets the
 * app's page, whose router shows the page asked for (a single-page app). Public: the page itself holds no
 * data; what it shows comes from the API's routes, each with its own guard.
 */
@ApiExcludeController()
@Controller()
export class WebAppController {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = webAppDir(config);
  }

  @Public()
  @Get()
  @Redirect(`${WEB_APP_PREFIX}/`, 302)
  home(): void {}

  @Public()
  @Get(['app', 'app/*'])
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const url = request.url.split('?', 1)[0];
    const path = url.slice(WEB_APP_PREFIX.length + 1);
    // A path whose last part names a file is one of the app's files (scripts, styles, icons), or a 404: a missing
    // script (a stale tab after a deploy) is not answered with a page the browser cannot run.
    if (path.split('/').at(-1)?.includes('.')) {
      const file = await webAppFile(this.dir, path);
      if (!file) throw new DomainError('not_found', `No file ${url} in the web app`);
      reply.header('Cache-Control', webAppFileCaching(this.dir, file));
      await reply.sendFile(path, this.dir, { cacheControl: false, dotfiles: 'deny' });
      return;
    }
    if (!webAppBuilt(this.dir)) {
      throw new DomainError('unavailable', 'The web app is not built: run `npm run build`');
    }
    // Read each time (a rebuild changes it; it is 2 KB): the policy allows the page's inline script by its hash.
    const html = await readFile(webAppIndex(this.dir), 'utf8');
    const policy = reply.raw.getHeader('Content-Security-Policy');
    if (typeof policy === 'string') {
      reply.header('Content-Security-Policy', allowingInlineScripts(policy, inlineScriptHashes(html)));
    }
    reply.header('Cache-Control', 'no-cache');
    await reply.type('text/html; charset=utf-8').send(html);
  }
}
