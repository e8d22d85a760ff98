import type { ExecutionContext } from '@nestjs/common';

type Handler = ReturnType<ExecutionContext['getHandler']>;
type Controller = ReturnType<ExecutionContext['getClass']>;

/**
 * What a guard reads from a route's metadata (its handler's and its controller's decorators), kept per route:
 * metadata is fixed when the app starts, so it is read the first time a route is asked, not on every request.
 */
export class PerRoute<T> {
  private readonly byHandler = new Map<unknown, Map<unknown, T>>();

  constructor(private readonly read: (handler: Handler, classRef: Controller) => T) {}

  of(context: ExecutionContext): T {
    const handler = context.getHandler();
    const classRef = context.getClass();
    let byClass = this.byHandler.get(handler);
    if (!byClass) this.byHandler.set(handler, (byClass = new Map<unknown, T>()));
    let value = byClass.get(classRef);
    if (value === undefined) byClass.set(classRef, (value = this.read(handler, classRef)));
    return value;
  }
}
