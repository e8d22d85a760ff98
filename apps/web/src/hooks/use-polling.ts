import { useQuery, type QueryKey, type UseQueryResult } from '@tanstack/react-query';

export interface PollingOptions<T> {
  readonly queryKey: QueryKey;
  readonly queryFn: () => Promise<T>;
  /** True once the work is over (ready, failed, released ...): polling stops. */
  readonly isSettled: (data: T) => boolean;
  /** How often to ask while the work is under way; 2 s by default. */
  readonly intervalMs?: number;
  readonly enabled?: boolean;
}

/**
 * Long work (an extract, a workspace coming up, output checks) shows its progress by itself: the query asks
 * again every few seconds while the work is under way and stops once it has settled. A failed poll keeps the
 * last answer on screen (TanStack Query keeps `data`) and keeps trying.
 */
export function usePolling<T>({
  queryKey,
  queryFn,
  isSettled,
  intervalMs = 2000,
  enabled = true,
}: PollingOptions<T>): UseQueryResult<T> {
  return useQuery({
    queryKey,
    queryFn,
    enabled,
    refetchInterval: (query) => {
      const data = query.state.data;
      return data !== undefined && isSettled(data) ? false : intervalMs;
    },
    refetchIntervalInBackground: false,
  });
}
