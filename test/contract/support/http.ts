/**
 * A small typed HTTP client for the contract suite. The scenarios speak plain HTTP on purpose: they
 * check the wire contract itself, so they must not lean on the product's own tenant client.
 */

export interface Credentials {
  user: string;
  password: string;
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send no credentials at all (to see the 401). */
  anonymous?: boolean;
}

/** A CREST error body (idm-api.md §1.3). */
export interface CrestErrorBody {
  code: number;
  reason: string;
  message: string;
}

export class IdmHttp {
  constructor(
    readonly baseUrl: string,
    private readonly credentials: Credentials,
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...options.headers };
    if (!options.anonymous) {
      // idm-api.md §6.3: header sign-in; NoSession keeps every request self-contained.
      headers['X-OpenIDM-Username'] ??= this.credentials.user;
      headers['X-OpenIDM-Password'] ??= this.credentials.password;
      headers['X-OpenIDM-NoSession'] = 'true';
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        // Left as text: a test that expects JSON fails on it with the text in its message.
      }
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<Reply<T>> {
    return this.request<T>('GET', path, options);
  }

  put<T = Record<string, unknown>>(
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  post<T = Record<string, unknown>>(
    path: string,
    query: Record<string, string>,
    body?: unknown,
  ): Promise<Reply<T>> {
    return this.request<T>('POST', path, { query, body });
  }

  delete<T = Record<string, unknown>>(path: string): Promise<Reply<T>> {
    return this.request<T>('DELETE', path);
  }
}

/** Describes a reply for an assertion message: status and a clipped body. */
export function show(reply: Reply): string {
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  return `HTTP ${reply.status} ${body.length > 400 ? body.slice(0, 400) + '…' : body}`;
}
