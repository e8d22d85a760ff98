import { readFile } from 'node:fs/promises';
import { Controller, Get, Inject, Param, Redirect, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@tre/auth';
import { APP_CONFIG, DomainError, type AppConfig } from '@tre/core';
import { allowingInlineScripts, inlineScriptHashes } from './inline-scripts';
import { WEB_APP_PREFIX, webAppBuilt, webAppDir, webAppIndex } from './web-app-files';

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
  @Get(['app', 'app/*path'])
  async page(@Param('path') path: string[] | undefined, @Res() response: Response): Promise<void> {
    // A missing script or style (a stale tab after a deploy) is a 404, not a page the browser cannot run.
    if (path?.at(-1)?.includes('.')) {
      throw new DomainError('not_found', `No file ${WEB_APP_PREFIX}/${path.join('/')} in the web app`);
    }
    if (!webAppBuilt(this.dir)) {
      throw new DomainError('unavailable', 'The web app is not built: run `npm run build`');
    }
    // Read each time (a rebuild changes it; it is 2 KB): the policy allows the page's inline script by its hash.
    const html = await readFile(webAppIndex(this.dir), 'utf8');
    const policy = response.getHeader('Content-Security-Policy');
    if (typeof policy === 'string') {
      response.setHeader('Content-Security-Policy', allowingInlineScripts(policy, inlineScriptHashes(html)));
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.type('html').send(html);
  }
}
