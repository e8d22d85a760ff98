import type { GridFlag } from './table-grid';
import { ColumnHeads } from '../../components/column-heads';

/** The automated results grouped by rule: how many cells fail, need a look, or are met by suppression. */
export function RuleResults({ flags }: { readonly flags: readonly (GridFlag & { cell?: string | null })[] }) {
  const rules = [...new Set(flags.map((f) => f.rule))].sort();
  return (
    <>
      <h2>Results per rule</h2>
      {rules.length === 0 ? (
        <p>No rule flagged anything in this file.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Results per rule</caption>
          <ColumnHeads names={['Rule', 'Fails', 'To look at', 'Met by suppression', 'Cells']} />
          <tbody className="nhsuk-table__body">
            {rules.map((rule) => {
              const of = flags.filter((f) => f.rule === rule);
              return (
                <tr key={rule} className="nhsuk-table__row">
                  <th scope="row" className="nhsuk-table__header">
                    {rule}
                  </th>
                  <td className="nhsuk-table__cell">
                    {of.filter((f) => f.published && f.outcome === 'fail').length}
                  </td>
                  <td className="nhsuk-table__cell">
                    {of.filter((f) => f.published && f.outcome === 'review').length}
                  </td>
                  <td className="nhsuk-table__cell">{of.filter((f) => !f.published).length}</td>
                  <td className="nhsuk-table__cell">{of.map((f) => f.cell ?? 'whole file').join('; ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
