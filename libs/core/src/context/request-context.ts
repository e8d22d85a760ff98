import { AsyncLocalStorage } from 'node:async_hooks';

/** What the service knows about the current request or job, available without threading it by hand. */
export interface RequestContext {
  readonly requestId: string;
  /** Filled in once the caller is authenticated; the object is shared by everything the request runs. */
  actorId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(context: RequestContext, work: () => T): T {
    return storage.run(context, work);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  setActor(actorId: string): void {
    const store = storage.getStore();
    if (store) store.actorId = actorId;
  },
};
