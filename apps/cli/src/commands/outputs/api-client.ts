import { CliUsageError } from '../../cli-errors';

export interface ApiOptions {
  api?: string;
  token?: string;
}

/** The API as one researcher or checker sees it: their token on every call, errors as one line. */
export class ApiClient {
  readonly base: string;
  private readonly token: string;

  constructor(options: ApiOptions) {
    this.base = (
      options.api ??
      process.env.TRE_API_URL ??
      `http://127.0.0.1:${process.env.PORT ?? 3000}`
    ).replace(/\/$/, '');
    const token = options.token ?? process.env.TRE_TOKEN;
    if (!token)
      throw new CliUsageError(
        'give a bearer token with --token or TRE_TOKEN (`tre token` mints one in development)',
      );
    this.token = token;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const isForm = body instanceof FormData;
    const response = await this.fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined || isForm ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: show it as it came
      }
      const line = `${method} ${path}: HTTP ${response.status}: ${String(message).replace(/\s*\n\s*/g, ' ')}`;
      // The API refusing what was sent (a file, a record, a vote) is the caller's mistake: exit 2, like bad flags.
      if (response.status === 400 || response.status === 413) throw new CliUsageError(line);
      throw new Error(line);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** A download link needs no bearer token: the link is the credential. */
  async bytes(path: string): Promise<Buffer> {
    const response = await this.fetch(path, { method: 'GET' });
    if (!response.ok) throw new Error(`GET ${path.replace(/[^/]+$/, '…')}: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, init);
    } catch (error: unknown) {
      throw new Error(
        `cannot reach the API at ${this.base} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
}
