import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { ColumnHeads } from '../../components/column-heads';

/** The data custodian's catalogue: every dataset, to open, edit and read the history of. */
export function CataloguePage() {
  usePageTitle('Dataset catalogue');
  const datasets = useQuery({
    queryKey: ['datasets', 'all'],
    queryFn: () => unwrap(api.GET('/datasets', { params: { query: { page: 1, pageSize: 200 } } })),
  });
  return (
    <>
      <h1>Dataset catalogue</h1>
      <p>
        <Link to="/custodian/opt-outs">Opt-out lists</Link>
      </p>
      <QueryState query={datasets} what="Loading the catalogue">
        {(data) => (
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption">
              {data.total} {data.total === 1 ? 'dataset' : 'datasets'}
            </caption>
            <ColumnHeads names={['Dataset', 'Code', 'Origin', 'Fields']} />
            <tbody className="nhsuk-table__body">
              {data.items.map((d) => (
                <tr key={d.code} className="nhsuk-table__row">
                  <td className="nhsuk-table__cell">
                    <Link to={`/custodian/datasets/${encodeURIComponent(d.code)}`}>{d.title}</Link>
                  </td>
                  <td className="nhsuk-table__cell">{d.code}</td>
                  <td className="nhsuk-table__cell">{d.origin}</td>
                  <td className="nhsuk-table__cell">{d.fields.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </>
  );
}
