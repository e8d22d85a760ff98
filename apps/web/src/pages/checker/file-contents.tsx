import { useQuery } from '@tanstack/react-query';
import { Button } from 'nhsuk-react-components';
import { useState } from 'react';
import { api, type Schemas } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import type { OutputFile } from './checker-words';

type Preview = Schemas['OutputFilePreviewDto'];

const count = (n: number): string => Math.max(0, n).toLocaleString('en-GB');

/**
 * A file with no table record, as it is: a CSV's rows and columns (the first of them, for a large file), a text
 * file's start, or why the page does not show it; and the file itself to download (the checker's copy, with
 * any formula cells made inert). No cell is marked: without a record the checks cannot say which cell is which.
 */
export function FileContents({ requestId, file }: { readonly requestId: string; readonly file: OutputFile }) {
  const preview = useQuery({
    queryKey: ['outputs', requestId, 'files', file.id, 'preview'],
    queryFn: () =>
      unwrap(
        api.GET('/outputs/{id}/files/{fileId}/preview', {
          params: { path: { id: requestId, fileId: file.id } },
        }),
      ),
    // The stored bytes never change: one read per visit is enough.
    staleTime: Infinity,
  });
  return (
    <>
      <h2>The file</h2>
      <p>
        This file has no table record, so the checks could not mark its cells. Read it here, or download it.
      </p>
      <QueryState query={preview} what="Loading the file">
        {(data) => <PreviewBody preview={data} fileName={file.fileName} />}
      </QueryState>
      <DownloadFile requestId={requestId} file={file} />
    </>
  );
}

export function PreviewBody({ preview, fileName }: { readonly preview: Preview; readonly fileName: string }) {
  if (preview.kind === 'none') return <p>{preview.reason}</p>;
  if (preview.kind === 'text')
    return (
      <>
        {preview.truncated && <p>The file is long: this is its start.</p>}
        <pre className="app-file-text" tabIndex={0} aria-label={`${fileName}, as collected`}>
          {preview.text}
        </pre>
      </>
    );
  const [header = [], ...rows] = preview.rows ?? [];
  return (
    <>
      {preview.truncated && (
        <p>
          The file is large: this shows its first {count((preview.rows?.length ?? 1) - 1)} of{' '}
          {count((preview.totalRows ?? 1) - 1)} rows and {count(header.length)} of{' '}
          {count(preview.totalCols ?? 0)} columns.
        </p>
      )}
      <div
        className="app-grid-wrapper"
        tabIndex={0}
        role="region"
        aria-label={`${fileName}, as collected (scrolls sideways)`}
      >
        <table className="nhsuk-table app-grid">
          <caption className="nhsuk-table__caption">{fileName}, as collected</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              {header.map((cell, c) => (
                <th key={c} scope="col" className="nhsuk-table__header">
                  {cell}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {rows.map((row, r) => (
              <tr key={r} className="nhsuk-table__row">
                {row.map((cell, c) => (
                  <td key={c} className="nhsuk-table__cell app-grid__value">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The download needs the bearer token, which a plain link cannot carry: fetched, then saved from memory. */
function DownloadFile({ requestId, file }: { readonly requestId: string; readonly file: OutputFile }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await unwrap(
        api.GET('/outputs/{id}/files/{fileId}/content', {
          params: { path: { id: requestId, fileId: file.id } },
          parseAs: 'blob',
        }),
      );
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file.fileName.split('/').pop() ?? 'output';
      link.click();
      URL.revokeObjectURL(url);
    } catch (failure: unknown) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {error !== null && <RefusalSummary error={error} />}
      <Button type="button" secondary disabled={busy} onClick={() => void download()}>
        Download the file
      </Button>
    </>
  );
}
