import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { unwrap } from '../../../api/api-error';
import { api } from '../../../api/client';
import { StepList } from '../../../components/step-list';
import { collectorSteps, type CollectionView } from './collection-progress';

const POLL_MS = 1_000;

/** `GET /workspaces/:id/outputs/listings/:listingId` (its OpenAPI document names no type). */
export interface ListingView {
  readonly id: string;
  readonly workspaceId: string;
  readonly state: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly settled: boolean;
  readonly steps: CollectionView['steps'];
  readonly files: { path: string; sizeBytes: number; modifiedAt: string; recordPath: string | null }[] | null;
  readonly error: string | null;
}

const STEP_LABELS: Record<string, string> = {
  'issue-grant': 'Issue a one-time grant for this listing',
  'token-secret': 'Give the grant to the collector',
  'egress-policy': "Open the collector's way to the airlock, and no other",
  'collector-job': 'Start the collector in your workspace',
  'wait-for-job': 'List the outputs folder',
  'clean-up': 'Revoke the grant and remove the collector',
  'local-process': 'List the outputs folder (no cluster attached)',
};

/** A listing's steps in words and, once it has failed, why. */
export function ListingSteps({ listing }: { listing: ListingView }) {
  const steps = collectorSteps(listing.steps, STEP_LABELS);
  return (
    <>
      <StepList steps={steps} label="Listing steps" />
      {listing.state === 'failed' && (
        <p role="alert" className="nhsuk-error-message">
          The files could not be listed: {listing.error ?? 'the listing failed'}
        </p>
      )}
    </>
  );
}

/**
 * Follows a listing the worker runs in the cluster (a collector Job in list mode) until it settles, asking
 * every second, then lets the page show the files it found.
 */
export function ListingProgress({
  started,
  onSettled,
}: {
  started: ListingView;
  onSettled: () => Promise<unknown>;
}) {
  const query = useQuery({
    queryKey: ['researcher', 'listing', started.id],
    queryFn: async () =>
      (await unwrap(
        api.GET('/workspaces/{id}/outputs/listings/{listingId}', {
          params: { path: { id: started.workspaceId, listingId: started.id } },
        }),
      )) as unknown as ListingView,
    initialData: started,
    refetchInterval: (q) => (q.state.data?.settled ? false : POLL_MS),
  });
  const settled = query.data.settled;
  const told = useRef(false);
  useEffect(() => {
    if (!settled || told.current) return;
    told.current = true;
    void onSettled();
  }, [settled, onSettled]);
  return (
    <section aria-labelledby={`listing-${started.id}`}>
      <h3 id={`listing-${started.id}`}>Listing the files in your workspace</h3>
      <ListingSteps listing={query.data} />
    </section>
  );
}
