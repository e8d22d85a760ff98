import { useQuery } from '@tanstack/react-query';
import { Button, TextInput } from 'nhsuk-react-components';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { unwrap } from '../../../api/api-error';
import { api } from '../../../api/client';
import { QueryState } from '../../../components/query-state';
import { RefusalSummary } from '../../../components/refusal';
import { useSubmit } from '../../../hooks/use-submit';
import { timeSince } from '../../checker/checker-words';
import { CollectionProgress, type CollectionView } from './collection-progress';
import { ListingProgress, type ListingView } from './listing-progress';

const REFRESH_MS = 5_000;

/**
 * `GET /workspaces/:id/outputs` (its OpenAPI document names no type: the collector's listing). No cluster: the
 * folder as it is now. A cluster: the newest listing a collector Job made, and the one under way if any.
 */
export interface WorkspaceOutputListing {
  readonly runner: 'local-process' | 'kubernetes';
  readonly files: { path: string; sizeBytes: number; modifiedAt: string; recordPath: string | null }[];
  readonly skipped: { path: string; reason: string }[];
  readonly truncated: boolean;
  readonly note?: string;
  readonly listedAt: string | null;
  readonly pending: ListingView | null;
}

const NUMBER = new Intl.NumberFormat('en-GB');

/**
 * The files of the workspace's outputs folder, each added to the request by its path (with its
 * disclosure-control record when one lies beside it). The collector reads the file in the workspace; nothing
 * is uploaded from the person's computer.
 */
export function WorkspaceFiles({
  requestId,
  projectId,
  onAdded,
}: {
  requestId: string;
  projectId: string;
  onAdded: () => Promise<unknown>;
}) {
  // The researcher writes files in the workspace while this page is open, and the workspace may have come up
  // since another page listed the workspaces: both are asked again on opening and every few seconds.
  const workspaces = useQuery({
    queryKey: ['researcher', 'workspaces'],
    queryFn: () => unwrap(api.GET('/workspaces', { params: { query: { pageSize: 100 } } })),
    staleTime: 0,
    refetchInterval: REFRESH_MS,
  });
  const workspace = workspaces.data?.items.find((w) => w.projectId === projectId && w.state !== 'deleted');
  const listing = useQuery({
    queryKey: ['researcher', 'workspace-outputs', workspace?.id],
    enabled: workspace !== undefined,
    staleTime: 0,
    refetchInterval: REFRESH_MS,
    queryFn: async () =>
      (await unwrap(
        api.GET('/workspaces/{id}/outputs', { params: { path: { id: workspace!.id } } }),
      )) as unknown as WorkspaceOutputListing,
  });
  // With a cluster attached a listing is a collector Job: the page starts one when there is none yet (or the
  // researcher asks again) and follows it; the files shown are the newest listing's.
  const [listingRun, setListingRun] = useState<ListingView | null>(null);
  const startListing = useSubmit({
    send: () =>
      unwrap(api.POST('/workspaces/{id}/outputs/listings', { params: { path: { id: workspace!.id } } })),
    onSuccess: (result) => {
      const started = result as unknown as { runner: string; listing: ListingView };
      if (started.runner === 'kubernetes') setListingRun(started.listing);
      else void listing.refetch();
    },
  });
  const inCluster = listing.data?.runner === 'kubernetes';
  const listingFollowed = listingRun ?? listing.data?.pending ?? null;
  const autoStarted = useRef(false);
  useEffect(() => {
    if (!inCluster || autoStarted.current || listing.data?.listedAt || listing.data?.pending) return;
    autoStarted.current = true;
    startListing.submit(undefined);
  }, [inCluster, listing.data, startListing]);
  // With a cluster attached the add answers 202: the worker collects the file, and the page follows it.
  const [following, setFollowing] = useState<CollectionView | null>(null);
  const [typedPath, setTypedPath] = useState('');
  const add = useSubmit({
    send: (file: { path: string; recordPath: string | null }) =>
      unwrap(
        api.POST('/outputs/{id}/paths', {
          params: { path: { id: requestId } },
          body: {
            workspaceId: workspace!.id,
            path: file.path,
            ...(file.recordPath ? { recordPath: file.recordPath } : {}),
          },
        }),
      ),
    onSuccess: (result) => {
      const added = result as unknown as { runner: string; collection: CollectionView };
      if (added.runner === 'kubernetes') setFollowing(added.collection);
      else void onAdded();
    },
  });
  const addTyped = (event: FormEvent) => {
    event.preventDefault();
    if (typedPath.trim()) add.submit({ path: typedPath.trim(), recordPath: null });
  };
  return (
    <section aria-labelledby="workspace-files-heading">
      <h2 id="workspace-files-heading">Files in your workspace</h2>
      {add.refusal && <RefusalSummary error={add.refusal} />}
      {startListing.refusal && <RefusalSummary error={startListing.refusal} />}
      {inCluster && listingFollowed && (
        <ListingProgress
          key={listingFollowed.id}
          started={listingFollowed}
          onSettled={async () => {
            setListingRun(null);
            await listing.refetch();
          }}
        />
      )}
      {inCluster && (
        <p>
          {listing.data?.listedAt
            ? `Files as your workspace's collector listed them ${timeSince(listing.data.listedAt)}.`
            : 'Your workspace has not been listed yet.'}{' '}
          <Button
            type="button"
            secondary
            className="nhsuk-u-margin-bottom-0"
            disabled={startListing.pending || listingFollowed !== null}
            onClick={() => startListing.submit(undefined)}
          >
            List the files again
          </Button>
        </p>
      )}
      {following && (
        <CollectionProgress
          key={following.id}
          requestId={requestId}
          started={following}
          onSettled={onAdded}
        />
      )}
      <QueryState query={workspaces} what="Finding your workspace">
        {() =>
          workspace ? (
            <QueryState query={listing} what="Listing the workspace's output files">
              {(found) =>
                found.files.length === 0 ? (
                  found.runner === 'kubernetes' && !found.listedAt ? null : (
                    <p>
                      The outputs folder of your workspace is empty. Save the files you want out there, with
                      their disclosure-control records beside them.
                    </p>
                  )
                ) : (
                  <table className="nhsuk-table">
                    <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                      Files in your workspace&apos;s outputs folder
                    </caption>
                    <thead className="nhsuk-table__head">
                      <tr className="nhsuk-table__row">
                        <th scope="col" className="nhsuk-table__header">
                          File
                        </th>
                        <th scope="col" className="nhsuk-table__header">
                          Size
                        </th>
                        <th scope="col" className="nhsuk-table__header">
                          Record
                        </th>
                        <th scope="col" className="nhsuk-table__header">
                          Action
                        </th>
                      </tr>
                    </thead>
                    <tbody className="nhsuk-table__body">
                      {found.files
                        .filter((file) => !file.path.endsWith('.record.json'))
                        .map((file) => (
                          <tr key={file.path} className="nhsuk-table__row">
                            <td className="nhsuk-table__cell">{file.path}</td>
                            <td className="nhsuk-table__cell">{NUMBER.format(file.sizeBytes)} bytes</td>
                            <td className="nhsuk-table__cell">{file.recordPath ?? 'None'}</td>
                            <td className="nhsuk-table__cell">
                              <Button
                                type="button"
                                secondary
                                className="nhsuk-u-margin-bottom-0"
                                disabled={add.pending}
                                onClick={() => add.submit({ path: file.path, recordPath: file.recordPath })}
                              >
                                Add {file.path}
                              </Button>
                            </td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                )
              }
            </QueryState>
          ) : (
            <p>This project has no workspace, so there are no files to add.</p>
          )
        }
      </QueryState>
      {workspace && (
        <form onSubmit={addTyped} noValidate>
          <TextInput
            id="add-by-path"
            label="Or add a file by its path in the outputs folder"
            hint="For example tables/admissions.csv. The collector reads it in your workspace."
            value={typedPath}
            onChange={(event) => setTypedPath(event.target.value)}
          />
          <Button type="submit" secondary disabled={add.pending}>
            Add by path
          </Button>
        </form>
      )}
    </section>
  );
}
