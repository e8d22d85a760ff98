import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestContext, requestIdOf } from '@tre/core';

/** Opens the request's context (request id now, actor once authenticated) for everything it runs. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    requestContext.run({ requestId: requestIdOf(req, res) }, next);
  }
}
