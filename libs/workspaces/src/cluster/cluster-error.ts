/**
 * Why an operation on the cluster failed, reduced to the one decision a caller makes: retry it later
 * (`transient`: the server or the network was unwell) or stop and report (`permanent`: the request itself is
 * wrong, and sending it again gives the same answer).
 */
export type ClusterErrorKind = 'transient' | 'permanent';

export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    /** The Kubernetes Status reason (`AlreadyExists`, `Invalid`, `Forbidden`, ...) or a network error code. */
    readonly reason: string,
    message: string,
    /** The HTTP status, when the server answered at all. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClusterError';
  }

  get transient(): boolean {
    return this.kind === 'transient';
  }
}

export function isClusterError(error: unknown): error is ClusterError {
  return error instanceof ClusterError;
}

/** What an API server's error body (a `Status` object) tells us, when it is one. */
export interface StatusBody {
  reason?: string;
  message?: string;
  causes: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseStatusBody(body: unknown): StatusBody {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { message: body.slice(0, 500), causes: [] };
    }
  }
  if (!isRecord(parsed)) return { causes: [] };
  const details = isRecord(parsed.details) ? parsed.details : {};
  const causes = Array.isArray(details.causes) ? details.causes : [];
  return {
    reason: typeof parsed.reason === 'string' ? parsed.reason : undefined,
    message: typeof parsed.message === 'string' ? parsed.message : undefined,
    causes: causes.flatMap((cause) =>
      isRecord(cause) && typeof cause.reason === 'string' ? [cause.reason] : [],
    ),
  };
}

/**
 * Classifies an HTTP answer. 409 is transient: with force-apply we never lose a field-manager conflict, so a
 * 409 means a concurrent writer or a racing create, and the next attempt reads the new state. A 403 is
 * permanent (RBAC or quota say no) except while the namespace is terminating, which passes on its own.
 */
export function classifyStatus(status: number, body: unknown, operation: string): ClusterError {
  const parsed = parseStatusBody(body);
  const reason = parsed.reason ?? `HTTP${status}`;
  const message = `${operation}: ${status} ${reason}${parsed.message ? `: ${parsed.message}` : ''}`;
  const terminating = parsed.causes.includes('NamespaceTerminating') || /being terminated/.test(message);
  const transient =
    status >= 500 || status === 429 || status === 408 || status === 409 || (status === 403 && terminating);
  return new ClusterError(transient ? 'transient' : 'permanent', reason, message, status);
}

/** Network error codes after which the same request may well succeed. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/**
 * Classifies an error thrown before any HTTP answer: a dropped connection, a timeout, a refused connection
 * (the server restarting) are transient; anything else (a bad kubeconfig, an unknown kind) is permanent.
 */
export function classifyThrown(error: unknown, operation: string): ClusterError {
  if (error instanceof ClusterError) return error;
  const record = isRecord(error) ? error : {};
  const name = typeof record.name === 'string' ? record.name : '';
  const code = typeof record.code === 'string' ? record.code : undefined;
  const text = error instanceof Error ? error.message : String(error);
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new ClusterError('transient', 'Timeout', `${operation}: timed out (${text})`);
  }
  // node-fetch reports a socket closed mid-answer as a FetchError of type `system` or with "socket hang up".
  const dropped = /socket hang up|premature close|other side closed|ECONNRESET/i.test(text);
  if ((code && TRANSIENT_CODES.has(code)) || dropped || record.type === 'request-timeout') {
    return new ClusterError('transient', code ?? 'ConnectionDropped', `${operation}: ${text}`);
  }
  return new ClusterError('permanent', code ?? (name || 'Error'), `${operation}: ${text}`);
}
