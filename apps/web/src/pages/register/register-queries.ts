import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import type { RegisterStatus } from './register-words';

/**
 * The register's queries, apart from its pages: the routes (app.tsx) start them while the page's code is still
 * on its way, and the pages read the same entries from the query cache. Kept small, as the first download
 * carries this module.
 */

export const REGISTER_PAGE_SIZE = 20;

export interface RegisterFilter {
  q: string;
  status: RegisterStatus | '';
  dataset: string;
}

export const readRegisterFilter = (params: URLSearchParams): RegisterFilter => ({
  q: params.get('q') ?? '',
  status: (params.get('status') ?? '') as RegisterFilter['status'],
  dataset: params.get('dataset') ?? '',
});

/** The page asked for in the address: a whole number from 1, anything else the first page. */
export const readRegisterPage = (params: URLSearchParams): number =>
  Math.max(1, Math.floor(Number(params.get('page'))) || 1);

export const registerQuery = (filter: RegisterFilter, page: number) =>
  queryOptions({
    queryKey: ['register', filter, page],
    queryFn: () =>
      unwrap(
        api.GET('/register', {
          params: {
            query: {
              page,
              pageSize: REGISTER_PAGE_SIZE,
              q: filter.q || undefined,
              status: filter.status || undefined,
              dataset: filter.dataset || undefined,
            },
          },
        }),
      ),
  });

export const registerEntryQuery = (id: string) =>
  queryOptions({
    queryKey: ['register', 'entry', id],
    queryFn: () => unwrap(api.GET('/register/{id}', { params: { path: { id } } })),
    // A project that is not on the register will not appear by asking again.
    retry: false,
  });
