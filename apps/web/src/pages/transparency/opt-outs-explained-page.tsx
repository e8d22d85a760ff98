import { countWords } from '../register/register-words';
import { useQuery } from '@tanstack/react-query';
import { InsetText, Table } from 'nhsuk-react-components';
import { Link } from 'react-router';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { optOutsQuery, type OptOuts } from './transparency-queries';

/** One row per legal basis, one column per data source, in the order the API lists them. */
function ruleGrid(rules: OptOuts['rules']) {
  const bases = [...new Map(rules.map((r) => [r.legalBasis, r.legalBasisTitle])).entries()];
  const sources = [...new Map(rules.map((r) => [r.dataSource, r.dataSourceTitle])).entries()];
  const cell = (basis: string, source: string) =>
    rules.find((r) => r.legalBasis === basis && r.dataSource === source)?.listsApplied ?? [];
  return { bases, sources, cell };
}

/**
 * For patients, no sign-in: what the national data opt-out and the GP type 1 opt-out are, how this service
 * applies each (the table comes from the policy the extract builder itself applies), and how many people they
 * removed, rounded. It looks nobody up, and says so.
 */
export function OptOutsExplainedPage() {
  usePageTitle('Your choices: opting out');
  const optOuts = useQuery(optOutsQuery);
  return (
    <>
      <h1>Your choices: opting out</h1>
      <p className="nhsuk-lede-text">
        You can choose whether information about you from your health records is used for research. There are
        two ways to opt out, and this service honours both where the law says they apply.
      </p>
      <QueryState query={optOuts} what="Loading how opt-outs apply">
        {(result) => {
          const titles = new Map(result.lists.map((list) => [list.list, list.title]));
          const { bases, sources, cell } = ruleGrid(result.rules);
          return (
            <>
              {result.lists.map((list) => (
                <section key={list.list}>
                  <h2>{list.title}</h2>
                  <p>{list.whatItIs}</p>
                  <p>{list.howToChoose}</p>
                </section>
              ))}

              <h2>How each opt-out applies here</h2>
              <p>
                Whether an opt-out applies depends on the law that allows a project to use data (its legal
                basis) and where the data comes from. Where one applies, the people on it are removed before
                any researcher sees the data.
              </p>
              <Table caption="Opt-outs applied, by legal basis and data source" firstCellIsHeader>
                <Table.Head>
                  <Table.Row>
                    <Table.Cell>Legal basis</Table.Cell>
                    {sources.map(([source, title]) => (
                      <Table.Cell key={source}>{title}</Table.Cell>
                    ))}
                  </Table.Row>
                </Table.Head>
                <Table.Body>
                  {bases.map(([basis, basisTitle]) => (
                    <Table.Row key={basis}>
                      <Table.Cell>{basisTitle}</Table.Cell>
                      {sources.map(([source]) => {
                        const applied = cell(basis, source);
                        return (
                          <Table.Cell key={source}>
                            {applied.length === 0
                              ? 'No opt-out applies'
                              : applied.map((list) => titles.get(list) ?? list).join(' and ')}
                          </Table.Cell>
                        );
                      })}
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>

              <h2>Opt-outs honoured so far</h2>
              <p>
                Across the {countWords(result.totals.extracts)} extracts built since the service began,
                rounded so no one can be picked out (a person left out of two extracts counts twice):
              </p>
              <Table caption="People removed by each opt-out">
                <Table.Head>
                  <Table.Row>
                    <Table.Cell>Opt-out</Table.Cell>
                    <Table.Cell format="numeric">People removed</Table.Cell>
                  </Table.Row>
                </Table.Head>
                <Table.Body>
                  {result.totals.lists.map((row) => (
                    <Table.Row key={row.list}>
                      <Table.Cell>{row.title}</Table.Cell>
                      <Table.Cell format="numeric">{row.peopleRemoved.text}</Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>

              <InsetText>
                <p>{result.individualLookup}</p>
              </InsetText>
            </>
          );
        }}
      </QueryState>
      <p>
        Figures for a chosen period are in the{' '}
        <Link to="/transparency-statement">transparency statement</Link>.
      </p>
    </>
  );
}
