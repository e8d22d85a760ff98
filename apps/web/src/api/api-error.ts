/** Field messages of a 400, as the API's validation returns them: `{ "title": ["title must be ..."] }`. */
export type FieldMessages = Record<string, string[]>;

/**
 * A refusal or failure of an API call, in words a page can show: the API's own message (every error it
 * returns has one), its code, and, for a 400, the message of each field.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldMessages = {},
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static unreachable(): ApiError {
    return new ApiError(
      0,
      'unreachable',
      'The service could not be reached. Check your connection and try again.',
    );
  }

  /** From the API's error body (`statusCode`, `code`, `message`, `details.fields`, `requestId`). */
  static fromBody(status: number, body: unknown): ApiError {
    const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const details = (record.details && typeof record.details === 'object' ? record.details : {}) as Record<
      string,
      unknown
    >;
    const fields: FieldMessages = {};
    if (details.fields && typeof details.fields === 'object') {
      for (const [field, messages] of Object.entries(details.fields as Record<string, unknown>)) {
        if (Array.isArray(messages)) fields[field] = messages.map(String);
      }
    }
    const message =
      typeof record.message === 'string' && record.message
        ? record.message
        : `The service answered ${status} without saying why`;
    return new ApiError(
      status,
      typeof record.code === 'string' ? record.code : 'error',
      message,
      fields,
      typeof record.requestId === 'string' ? record.requestId : undefined,
    );
  }
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of an openapi-fetch call, or an ApiError saying why there is none. Pages call the API through this,
 * so TanStack Query sees a thrown error with words in it, never an undefined body.
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch {
    throw ApiError.unreachable();
  }
  if (result.error !== undefined || !result.response.ok) {
    throw ApiError.fromBody(result.response.status, result.error);
  }
  return result.data as T;
}
