import type { Target } from './routes';

/**
 * Every caller once, so first sightings (a user row, an audit event) are not in the measured runs. A refusal is
 * reported, not fatal: the measured runs count it again.
 */
export async function warm(baseUrl: string, targets: Target[]): Promise<void> {
  const refused = new Map<string, number>();
  for (let start = 0; start < targets.length; start += 5) {
    await Promise.all(
      targets.slice(start, start + 5).map(async ({ path, headers }) => {
        const response = await fetch(new URL(path, baseUrl), { headers });
        await response.arrayBuffer();
        if (!response.ok) refused.set(`${response.status}`, (refused.get(`${response.status}`) ?? 0) + 1);
      }),
    );
  }
  for (const [status, count] of refused) console.error(`warming up: ${count} answers ${status}`);
}
