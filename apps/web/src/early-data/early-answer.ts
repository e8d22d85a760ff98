/**
 * The app's side of the early request (early-request.mts): the answer the page's inline script asked for before
 * the app had run, taken at most once and only by a request for exactly its URL. What is not taken by the time
 * the first page has loaded is forgotten, so a later navigation never sees an answer from the page's load.
 */

const EARLY_REQUEST = '__treEarlyRequest';

interface EarlyRequest {
  readonly url: string;
  readonly response: Promise<Response>;
}

type Holder = Record<string, unknown>;

const early = (holder: Holder): EarlyRequest | undefined => {
  const value = holder[EARLY_REQUEST] as Partial<EarlyRequest> | undefined;
  return typeof value?.url === 'string' && value.response instanceof Promise
    ? (value as EarlyRequest)
    : undefined;
};

/** The early answer for `url`, once: the entry is gone once taken. Anything else asked is not this answer. */
export function takeEarlyAnswer(url: string, holder: Holder = globalThis): Promise<Response> | undefined {
  const request = early(holder);
  if (!request || request.url !== url) return undefined;
  delete holder[EARLY_REQUEST];
  return request.response;
}

/** Drops an answer nobody took: called once the first page has loaded. */
export function forgetEarlyAnswer(holder: Holder = globalThis): void {
  delete holder[EARLY_REQUEST];
}
