/**
 * The public page's data, asked for before the app's script has run. index.html carries this function inline
 * (vite.config.mts writes its source into the page; the API allows it by its hash, see
 * apps/api/src/web-app/inline-scripts.ts): on a busy machine the app's script takes 0.3 to 0.8 s to arrive,
 * compile and run, and only then would the page's loader ask the API. The app takes the answer once, if it asks
 * for exactly this address (early-answer.ts).
 *
 * It must stay self-contained (nothing from outside its body: its source is copied, not its module) and map an
 * address to the very URL the page's query asks for (register-queries.ts); early-data.test.ts holds the two
 * equal. Public pages only: signed-in pages need a token, which only the app holds.
 */
export function startEarlyRequest(win: Window): void {
  try {
    const { origin, pathname, search } = win.location;
    const params = new URLSearchParams(search);
    let path = '';
    const entry = /^\/app\/register\/([^/]+)\/?$/.exec(pathname);
    if (/^\/app\/register\/?$/.test(pathname)) {
      // As readRegisterPage and registerQuery: the page a whole number from 1, 20 a page, empty filters left out.
      const query = [`page=${Math.max(1, Math.floor(Number(params.get('page'))) || 1)}`, 'pageSize=20'];
      for (const name of ['q', 'status', 'dataset']) {
        const value = params.get(name);
        if (value) query.push(`${name}=${encodeURIComponent(value)}`);
      }
      path = `/register?${query.join('&')}`;
    } else if (entry) {
      path = `/register/${encodeURIComponent(decodeURIComponent(entry[1]))}`;
    }
    if (!path) return;
    const url = new URL(path, origin).href;
    const response = win.fetch(url, { credentials: 'same-origin' });
    // A failure is the app's to meet when it takes the answer; until then it is no unhandled rejection.
    response.catch(() => undefined);
    (win as unknown as Record<string, unknown>).__treEarlyRequest = { url, response };
  } catch {
    // Nothing asked early: the app asks for itself, as it always could.
  }
}
