import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import {
  readRegisterFilter,
  readRegisterPage,
  registerEntryQuery,
  registerQuery,
} from '../pages/register/register-queries';
import { forgetEarlyAnswer, takeEarlyAnswer } from './early-answer';
import { startEarlyRequest } from './early-request.mts';

const ORIGIN = globalThis.location.origin;

/** What the inline script asks for at `address`, run against a window of our own. */
function earlyUrl(address: string): string | undefined {
  const url = new URL(address, ORIGIN);
  const asked: string[] = [];
  const win = {
    location: { origin: url.origin, pathname: url.pathname, search: url.search },
    fetch: (target: string) => {
      asked.push(target);
      return Promise.resolve(new Response('{}'));
    },
  } as unknown as Window;
  startEarlyRequest(win);
  return asked[0];
}

/** What the page's own query asks for at `address` (as its route's loader does), caught before it leaves. */
async function queryUrl(address: string): Promise<string> {
  const url = new URL(address, ORIGIN);
  const entry = /^\/app\/register\/([^/]+)\/?$/.exec(url.pathname);
  const query = entry
    ? registerEntryQuery(decodeURIComponent(entry[1]))
    : registerQuery(readRegisterFilter(url.searchParams), readRegisterPage(url.searchParams));
  let asked = '';
  const catcher = {
    onRequest: ({ request }: { request: Request }) => {
      asked = request.url;
      return new Response('{}', { headers: { 'Content-Type': 'application/json' } });
    },
  };
  api.use(catcher);
  try {
    await (query.queryFn as () => Promise<unknown>)();
  } finally {
    api.eject(catcher);
  }
  return asked;
}

afterEach(() => forgetEarlyAnswer());

describe('the early data request', () => {
  it.each([
    '/app/register',
    '/app/register/',
    '/app/register?page=3',
    '/app/register?page=0',
    '/app/register?page=2.7',
    '/app/register?page=-4',
    '/app/register?page=nonsense',
    '/app/register?q=dementia&status=approved&page=2',
    '/app/register?dataset=GP_REGISTRATIONS&q=',
    '/app/register?q=heart+failure%20%26+stroke&status=&dataset=HES_APC',
    "/app/register?q=caf%C3%A9/o'brien?#x",
    '/app/register/0b7f5a52-1c2e-4c55-9f0e-3b6a2f0d9a11',
    '/app/register/an%20odd%2Fid',
  ])('asks for exactly what the page will ask for at %s', async (address) => {
    expect(earlyUrl(address)).toBe(await queryUrl(address));
  });

  it.each([
    '/app/',
    '/app/researcher',
    '/app/register/1/edit',
    '/app/sign-in?next=/app/register',
    '/register',
  ])('asks nothing for %s', (address) => {
    expect(earlyUrl(address)).toBeUndefined();
  });
});

describe('the early answer', () => {
  const holder = (url: string, response = Promise.resolve(new Response('[]'))) => ({
    __treEarlyRequest: { url, response },
  });

  it('is taken once, by exactly its URL, and not again', () => {
    const url = `${ORIGIN}/register?page=1&pageSize=20`;
    const window = holder(url);
    const { response } = window.__treEarlyRequest;
    expect(takeEarlyAnswer(`${ORIGIN}/register?page=2&pageSize=20`, window)).toBeUndefined();
    expect(takeEarlyAnswer(`${ORIGIN}/register?page=1&pageSize=20&q=a`, window)).toBeUndefined();
    expect(takeEarlyAnswer(url, window)).toBe(response);
    expect(takeEarlyAnswer(url, window)).toBeUndefined();
  });

  it('is forgotten once the first page has loaded', () => {
    const url = `${ORIGIN}/register/abc`;
    const window = holder(url);
    forgetEarlyAnswer(window);
    expect(takeEarlyAnswer(url, window)).toBeUndefined();
  });

  it("is what the app's client gets for that request, without asking the API again", async () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    const early = new Response(JSON.stringify({ id: 'abc', title: 'From the early request' }), {
      headers: { 'Content-Type': 'application/json' },
    });
    Object.assign(globalThis, holder(`${ORIGIN}/register/abc`, Promise.resolve(early)));
    const first = await registerEntryQuery('abc').queryFn!({} as never);
    expect(first).toEqual({ id: 'abc', title: 'From the early request' });
    expect(fetch).not.toHaveBeenCalled();
    // Taken: the next question for the same URL is the API's to answer.
    expect(takeEarlyAnswer(`${ORIGIN}/register/abc`)).toBeUndefined();
    fetch.mockRestore();
  });
});
