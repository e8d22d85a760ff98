import type { Page } from 'playwright-core';

/**
 * Where a page load's time went, from the page's own clock (ms from navigation start: the Navigation, Resource
 * and Paint Timing entries), read once the data is on screen. It adds nothing to the page while it loads,
 * and it shows the order of things, which a loaded machine stretches but does not reorder:
 *
 * - html: the page's HTML in; code: the app's first script in; run: that script run (DOMContentLoaded ends
 *   after the module has been evaluated); painted: first contentful paint;
 * - chunks: the page's own code (lazy chunks) asked for, and the last of it in;
 * - api: the page's data asked for (the first API call that is not /web-config), and the last API answer in.
 */
export interface LoadSplit {
  readonly html: number;
  readonly code: number | null;
  readonly run: number;
  readonly painted: number | null;
  readonly chunksAsked: number | null;
  readonly chunksIn: number | null;
  readonly apiAsked: number | null;
  readonly apiIn: number | null;
}

// The browser's timing entries, as far as this reads them (the benchmark compiles without the DOM's types).
interface ResourceEntry {
  readonly name: string;
  readonly startTime: number;
  readonly responseEnd: number;
}
interface BrowserPerformance {
  getEntriesByType(type: 'navigation'): (ResourceEntry & { readonly domContentLoadedEventEnd: number })[];
  getEntriesByType(type: 'resource'): ResourceEntry[];
  getEntriesByName(name: 'first-contentful-paint'): { readonly startTime: number }[];
}

export function readLoadSplit(tab: Page): Promise<LoadSplit> {
  return tab.evaluate(() => {
    const timing = performance as unknown as BrowserPerformance;
    const navigation = timing.getEntriesByType('navigation')[0];
    const resources = timing.getEntriesByType('resource');
    const path = (entry: ResourceEntry) => new URL(entry.name).pathname;
    const entry = resources.find((r) => /^\/app\/assets\/index-[^/]*\.js$/.test(path(r)));
    const chunks = resources.filter((r) => /^\/app\/assets\/.*\.js$/.test(path(r)) && r !== entry);
    const api = resources.filter((r) => !path(r).startsWith('/app/') && path(r) !== '/web-config');
    const first = (list: ResourceEntry[]) => (list.length ? Math.min(...list.map((r) => r.startTime)) : null);
    const last = (list: ResourceEntry[]) =>
      list.length ? Math.max(...list.map((r) => r.responseEnd)) : null;
    return {
      html: navigation.responseEnd,
      code: entry?.responseEnd ?? null,
      run: navigation.domContentLoadedEventEnd,
      painted: timing.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      chunksAsked: first(chunks),
      chunksIn: last(chunks),
      apiAsked: first(api),
      apiIn: last(api),
    };
  });
}

/** The median of each part over the runs, as one line: "html 12, code 140, ... ms". */
export function splitSummary(splits: LoadSplit[]): string {
  const median = (values: (number | null)[]): string => {
    const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
    return known.length ? known[Math.floor(known.length / 2)].toFixed(0) : '-';
  };
  const parts: [string, keyof LoadSplit][] = [
    ['html', 'html'],
    ['code', 'code'],
    ['run', 'run'],
    ['painted', 'painted'],
    ['chunks asked', 'chunksAsked'],
    ['chunks in', 'chunksIn'],
    ['api asked', 'apiAsked'],
    ['api in', 'apiIn'],
  ];
  return parts.map(([label, key]) => `${label} ${median(splits.map((s) => s[key]))}`).join(', ');
}
