import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError, requestIdOf } from '@tre/core';

/**
 * Deepest nesting of objects and arrays a request may carry. The deepest DTO nests three levels; past a few
 * thousand levels class-transformer and class-validator (which recurse) overflow the stack, so depth is
 * refused here, before any of them runs.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Runs first, before helmet and the body parsers, so that every response (a parser's 400/413/415, the
 * documentation pages, a 404) carries the request id. Responses are never stored by caches: most carry
 * personal or project data under a bearer token, and a handler that wants otherwise says so itself.
 */
export function assignRequestId(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  requestIdOf(req, res);
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * The one guard on strings, after the body is parsed and before any route: Postgres cannot store a NUL
 * character in text, and deep nesting overflows the validators. Both are the client's mistake, so both are
 * a 400 naming where, for every route alike (path, query and body).
 */
export function unsafeInput(request: {
  readonly url: string;
  readonly query: unknown;
  readonly body: unknown;
}): DomainError | undefined {
  const query = request.url.indexOf('?');
  const problem =
    pathProblem(query === -1 ? request.url : request.url.slice(0, query)) ??
    valueProblem(request.query, 'query') ??
    valueProblem(request.body, 'body');
  return problem
    ? new DomainError('validation_failed', problem.message, { at: problem.at.slice(0, MAX_PATH_SHOWN) })
    : undefined;
}

/** A key path is quoted back to the client up to this length (keys may be long: they are the client's). */
const MAX_PATH_SHOWN = 200;

interface Problem {
  readonly at: string;
  readonly message: string;
}

const hasNul = (text: string): boolean => text.includes('\u0000');

function pathProblem(path: string): Problem | undefined {
  // Without a percent sign nothing decodes to anything but itself (decodeURIComponent would return each segment
  // as it is): the path is checked as it stands, without splitting it.
  if (!path.includes('%'))
    return hasNul(path) ? { at: 'path', message: 'The path holds a NUL character' } : undefined;
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { at: 'path', message: 'The path is not valid percent-encoded UTF-8' };
    }
    if (hasNul(decoded)) return { at: 'path', message: 'The path holds a NUL character' };
  }
  return undefined;
}

/** Walks without recursion, so a value nested too deep to validate is measured without overflowing. */
function valueProblem(root: unknown, where: string): Problem | undefined {
  const pending: { value: unknown; depth: number; at: string }[] = [{ value: root, depth: 0, at: where }];
  while (pending.length > 0) {
    const { value, depth, at } = pending.pop()!;
    if (typeof value === 'string') {
      if (hasNul(value)) return { at, message: `${at.slice(0, MAX_PATH_SHOWN)} holds a NUL character` };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return { at, message: `${where} is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    }
    for (const [key, child] of Object.entries(value)) {
      if (hasNul(key)) {
        return { at, message: `${at.slice(0, MAX_PATH_SHOWN)} has a key holding a NUL character` };
      }
      pending.push({ value: child, depth: depth + 1, at: `${at}.${key}` });
    }
  }
  return undefined;
}
