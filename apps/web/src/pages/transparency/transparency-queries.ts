import { queryOptions } from '@tanstack/react-query';
import { unwrap } from '../../api/api-error';
import { api, type Schemas } from '../../api/client';
import type { PeriodField } from './period-errors';

/**
 * The transparency pages' queries, apart from the pages: the routes (app.tsx) start them while the page's code
 * is still on its way, and the pages read the same entries from the query cache. The first download carries
 * this module.
 */

export type Period = Record<PeriodField, string>;

export const readPeriod = (params: URLSearchParams): Period => ({
  from: params.get('from') ?? '',
  to: params.get('to') ?? '',
});

export const statementQuery = (period: Period) =>
  queryOptions({
    queryKey: ['statement', period],
    queryFn: () =>
      unwrap(
        api.GET('/register/statement', {
          params: { query: { from: period.from || undefined, to: period.to || undefined } },
        }),
      ),
  });

/**
 * What `/patients/opt-outs` returns for each list. The OpenAPI document names this shape and the custodians'
 * list summary both `OptOutListDto`, so the generated type carries the other one; this is the controller's own.
 */
interface ExplainedList {
  readonly list: 'national' | 'type1';
  readonly title: string;
  readonly whatItIs: string;
  readonly howToChoose: string;
}
export type OptOuts = Omit<Schemas['PatientOptOutsDto'], 'lists'> & { readonly lists: ExplainedList[] };

export const optOutsQuery = queryOptions({
  queryKey: ['patients', 'opt-outs'],
  queryFn: async () => (await unwrap(api.GET('/patients/opt-outs'))) as unknown as OptOuts,
});
