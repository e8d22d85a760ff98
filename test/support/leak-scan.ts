/** A vote cast blind: who cast it and the comment only it carries. */
export interface CastVote {
  readonly voterId: string;
  readonly comment: string;
}

/** Every way a person votes, on an application (DAC) or on an output file (checkers). */
const VOTE_VALUES = new Set(['approve', 'reject', 'request_changes']);

/** Audit actions that name a voter or say how they voted. */
export const VOTE_ACTIONS = [
  'project.vote_cast',
  'project.review_started',
  'output.reviewed',
  'output.review_revised',
  'output.review_conflicted',
  'output.file_read',
];

import { parseCsv } from '@tre/sdc';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: Json): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `user.*` events say a person exists (signed in, roles changed), not what they did; they may name anyone. */
const withoutUserEvents = (value: Json): Json => {
  if (Array.isArray(value))
    return value
      .filter(
        (item) => !(isObject(item) && typeof item.action === 'string' && item.action.startsWith('user.')),
      )
      .map(withoutUserEvents);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutUserEvents(v)]));
  return value;
};

/**
 * What in a response would tell `viewerId` about a vote someone else cast blind on one of `subjects`: the
 * other voter's id or comment anywhere in it, a vote (`decision`/`vote` of approve, reject, request_changes)
 * by another voter or by nobody named, or an event of `sealedActions` by another voter or by anyone but the
 * viewer on one of the subjects, or (unless the viewer may see the votes) a `conflicted: true`, which says
 * the voters disagree. Votes decided and shown as designed (on other subjects) are not leaks. Empty when the
 * response reveals nothing.
 */
export function leaks(
  text: string,
  body: Json,
  viewerId: string,
  votes: readonly CastVote[],
  subjects: readonly string[],
  sealed: { actions?: readonly string[]; conflict?: boolean } = {},
): string[] {
  const sealedActions = sealed.actions ?? VOTE_ACTIONS;
  const others = votes.filter((v) => v.voterId !== viewerId);
  const otherVoters = new Set(others.map((v) => v.voterId));
  const found: string[] = [];
  const scanned =
    body === null || body === undefined || text === '' ? text : JSON.stringify(withoutUserEvents(body));
  for (const vote of others) {
    if (scanned.includes(vote.voterId)) found.push(`names voter ${vote.voterId}`);
    if (text.includes(vote.comment)) found.push(`quotes a comment of ${vote.voterId}`);
  }
  const walk = (node: Json, attribution: string | null): void => {
    if (Array.isArray(node)) return node.forEach((item) => walk(item, attribution));
    if (!isObject(node)) return;
    const by = [node.reviewerId, node.checkerId, node.actorId].find((v) => typeof v === 'string');
    const who = typeof by === 'string' ? by : attribution;
    const actor = typeof node.actorId === 'string' ? node.actorId : null;
    const onSubject = typeof node.subjectId === 'string' && subjects.includes(node.subjectId);
    if (
      typeof node.action === 'string' &&
      sealedActions.includes(node.action) &&
      actor !== viewerId &&
      (onSubject || (actor !== null && otherVoters.has(actor)))
    )
      found.push(`shows ${node.action} by ${String(actor)}`);
    if ((sealed.conflict ?? true) && node.conflicted === true) found.push('says the voters disagree');
    for (const key of ['decision', 'vote'])
      if (
        typeof node[key] === 'string' &&
        VOTE_VALUES.has(node[key]) &&
        (who === null || otherVoters.has(who))
      )
        found.push(`shows a vote "${node[key]}" by ${who ?? 'someone'}`);
    Object.values(node).forEach((value) => walk(value, who));
  };
  walk(body, null);
  return found;
}

/**
 * The audit trail's CSV export read back into events (details parsed), so the scan judges it by the same rules
 * as the JSON listing: `user.*` events may name anyone; a sealed event must be absent.
 */
export function auditCsvEvents(text: string): Json {
  const [header, ...rows] = parseCsv(text).filter((row) => row.length > 1);
  return rows.map((row) =>
    Object.fromEntries(
      header.map((column, i) => [
        column,
        column === 'details' && row[i] ? (JSON.parse(row[i]) as Json) : row[i],
      ]),
    ),
  );
}
