import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { unwrap } from '../../../api/api-error';
import { api } from '../../../api/client';
import { StepList, type Step, type StepState } from '../../../components/step-list';

const POLL_MS = 1_000;

/** `GET /outputs/:id/collections/:collectionId` (its OpenAPI document names no type). */
export interface CollectionView {
  readonly id: string;
  readonly state: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly settled: boolean;
  readonly steps: {
    name: string;
    state: 'pending' | 'running' | 'done' | 'skipped' | 'failed';
    note: string | null;
    error: string | null;
  }[];
  readonly items: {
    path: string;
    recordPath: string | null;
    result: { status: 'stored'; fileId: string } | { status: 'failed'; reason: string } | null;
  }[];
  readonly error: string | null;
}

const STEP_LABELS: Record<string, string> = {
  'issue-grant': 'Issue a one-time grant for this file',
  'token-secret': 'Give the grant to the collector',
  'egress-policy': "Open the collector's way to the airlock, and no other",
  'collector-job': 'Start the collector in your workspace',
  'wait-for-job': 'Collect the file',
  'clean-up': 'Revoke the grant and remove the collector',
  'local-process': 'Collect the file (no cluster attached)',
};

const STATES: Record<CollectionView['steps'][number]['state'], StepState> = {
  pending: 'waiting',
  running: 'running',
  done: 'done',
  skipped: 'done',
  failed: 'failed',
};

/** A collector run's recorded steps (a collection's or a listing's) as the step list shows them. */
export function collectorSteps(recorded: CollectionView['steps'], labels: Record<string, string>): Step[] {
  return recorded.map((step) => ({
    key: step.name,
    label: labels[step.name] ?? step.name,
    state: STATES[step.state],
    ...((step.error ?? step.note) ? { detail: step.error ?? step.note ?? undefined } : {}),
  }));
}

/** A collection's steps and, once it has settled, what became of each file, in words. */
export function CollectionSteps({ collection }: { collection: CollectionView }) {
  const steps = collectorSteps(collection.steps, STEP_LABELS);
  return (
    <>
      <StepList steps={steps} label="Collection steps" />
      {collection.settled &&
        collection.items.map((item) =>
          item.result?.status === 'stored' ? (
            <p key={item.path} role="status">
              Added {item.path} to the request.
            </p>
          ) : (
            <p key={item.path} role="alert" className="nhsuk-error-message">
              {item.path} was not added: {item.result?.reason ?? collection.error ?? 'the collection failed'}
            </p>
          ),
        )}
    </>
  );
}

/**
 * Follows a collection the worker runs in the cluster (the add answered 202) until it settles, asking every
 * second, then lets the page refresh the request's files.
 */
export function CollectionProgress({
  requestId,
  started,
  onSettled,
}: {
  requestId: string;
  started: CollectionView;
  onSettled: () => Promise<unknown>;
}) {
  const query = useQuery({
    queryKey: ['researcher', 'collection', started.id],
    queryFn: async () =>
      (await unwrap(
        api.GET('/outputs/{id}/collections/{collectionId}', {
          params: { path: { id: requestId, collectionId: started.id } },
        }),
      )) as unknown as CollectionView,
    initialData: started,
    refetchInterval: (q) => (q.state.data?.settled ? false : POLL_MS),
  });
  const settled = query.data.settled;
  // Once: the page's refresh re-renders this with a new callback, which must not refresh again.
  const told = useRef(false);
  useEffect(() => {
    if (!settled || told.current) return;
    told.current = true;
    void onSettled();
  }, [settled, onSettled]);
  return (
    <section aria-labelledby={`collection-${started.id}`}>
      <h3 id={`collection-${started.id}`}>Collecting {started.items.map((item) => item.path).join(', ')}</h3>
      <CollectionSteps collection={query.data} />
    </section>
  );
}
