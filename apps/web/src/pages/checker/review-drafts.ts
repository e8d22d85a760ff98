import { useSyncExternalStore } from 'react';
import type { OutputVote } from './checker-words';

/**
 * A checker's votes while they work through a request's files one by one, before sending them all at once
 * (the API takes a vote on every file together). Kept in this tab's session storage only: a draft is the
 * checker's own working state, gone when the tab closes, and never shown to anyone else.
 */
export interface DraftVote {
  readonly vote: OutputVote;
  readonly comment: string;
}
type Drafts = Record<string, DraftVote>;

const storageKey = (requestId: string, round: number) => `tre.review-draft.${requestId}.${round}`;
const listeners = new Set<() => void>();
const cache = new Map<string, { raw: string | null; value: Drafts }>();

function read(key: string): Drafts {
  const raw = globalThis.sessionStorage?.getItem(key) ?? null;
  const cached = cache.get(key);
  if (cached && cached.raw === raw) return cached.value;
  let value: Drafts = {};
  try {
    value = raw ? (JSON.parse(raw) as Drafts) : {};
  } catch {
    value = {};
  }
  cache.set(key, { raw, value });
  return value;
}

export function saveDraftVote(requestId: string, round: number, fileId: string, draft: DraftVote): void {
  const key = storageKey(requestId, round);
  globalThis.sessionStorage?.setItem(key, JSON.stringify({ ...read(key), [fileId]: draft }));
  listeners.forEach((listener) => listener());
}

export function clearDraftVotes(requestId: string, round: number): void {
  globalThis.sessionStorage?.removeItem(storageKey(requestId, round));
  listeners.forEach((listener) => listener());
}

/** The draft votes on one round of one request, kept up to date as they are saved. */
export function useDraftVotes(requestId: string, round: number): Drafts {
  const key = storageKey(requestId, round);
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => read(key),
    () => ({}),
  );
}

/** Draft votes for a request not yet opened in this tab (the queue's progress column). */
export const draftVotesOf = (requestId: string, round: number): Drafts => read(storageKey(requestId, round));
