import { Tag } from 'nhsuk-react-components';
import type { Schemas } from '../../../api/client';

type OutputFile = Schemas['OutputFileDto'];
type FileCheck = Schemas['FileCheckDto'];

const CHECK_WORDS: Record<
  FileCheck['status'],
  { words: string; colour: 'green' | 'orange' | 'red' | 'grey' }
> = {
  pass: { words: 'Passed the checks', colour: 'green' },
  review: { words: 'For the checkers to judge', colour: 'orange' },
  fail: { words: 'Failed the checks', colour: 'red' },
  manual: { words: 'Checked by hand only', colour: 'grey' },
};

const NUMBER = new Intl.NumberFormat('en-GB');

/**
 * Each file of a request: its SHA-256, what the automated checks found and, for a table, the cells they
 * flagged (row and column labels, the rule, why); then the checkers' comments once they may be seen.
 */
export function OutputFiles({
  files,
  onRemove,
}: {
  files: readonly OutputFile[];
  onRemove?: (file: OutputFile) => void;
}) {
  if (files.length === 0) return <p>No files yet.</p>;
  return (
    <>
      {files.map((file) => (
        <section key={file.id} aria-labelledby={`file-${file.id}`} className="app-output-file">
          <h3 id={`file-${file.id}`}>{file.fileName}</h3>
          <dl className="nhsuk-summary-list">
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Size</dt>
              <dd className="nhsuk-summary-list__value">{NUMBER.format(file.sizeBytes)} bytes</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">SHA-256</dt>
              <dd className="nhsuk-summary-list__value">
                <code className="app-sha">{file.sha256}</code>
              </dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Disclosure record</dt>
              <dd className="nhsuk-summary-list__value">
                {file.hasRecord ? `Yes${file.recordType ? ` (${file.recordType})` : ''}` : 'None'}
              </dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Checks</dt>
              <dd className="nhsuk-summary-list__value">
                <CheckSummary file={file} />
              </dd>
            </div>
          </dl>
          {file.check && file.check.flags.length > 0 && <FlaggedCells file={file} check={file.check} />}
          {file.reviews.length > 0 && (
            <>
              <h4>The output checkers&apos; comments</h4>
              <ul className="nhsuk-list nhsuk-list--border">
                {file.reviews.map((review) => (
                  <li key={`${review.checkerId}:${review.round}`}>
                    Round {review.round}: {review.vote.replace('_', ' ')}
                    {review.comment ? `: ${review.comment}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {onRemove && (
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary"
              onClick={() => onRemove(file)}
            >
              Remove {file.fileName}
            </button>
          )}
        </section>
      ))}
    </>
  );
}

function CheckSummary({ file }: { file: OutputFile }) {
  if (file.checkState !== 'done' || !file.check)
    return <>{file.checkState === 'running' ? 'Being checked' : 'Not checked yet'}</>;
  const words = CHECK_WORDS[file.check.status];
  return (
    <>
      <Tag modifier={words.colour}>{words.words}</Tag> {file.check.message}
      {file.check.suppressedCells > 0 &&
        ` (${file.check.suppressedCells} ${file.check.suppressedCells === 1 ? 'cell' : 'cells'} suppressed in the record)`}
      {file.check.publishedTable === 'mismatch' && ' The file does not match its record.'}
    </>
  );
}

function FlaggedCells({ file, check }: { file: OutputFile; check: FileCheck }) {
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption">Cells flagged in {file.fileName}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">
            Cell
          </th>
          <th scope="col" className="nhsuk-table__header">
            Rule
          </th>
          <th scope="col" className="nhsuk-table__header">
            Outcome
          </th>
          <th scope="col" className="nhsuk-table__header">
            Why
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {check.flags.map((flag, index) => (
          <tr key={`${flag.rule}:${flag.row}:${flag.col}:${index}`} className="nhsuk-table__row">
            <td className="nhsuk-table__cell">
              {flag.cell ?? (flag.row !== null ? `row ${flag.row}, column ${flag.col}` : 'The whole table')}
            </td>
            <td className="nhsuk-table__cell">{flag.rule}</td>
            <td className="nhsuk-table__cell">
              {flag.outcome === 'fail' ? 'Fails' : 'For review'}
              {flag.published ? '' : ' (already suppressed in the record)'}
            </td>
            <td className="nhsuk-table__cell">{flag.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
