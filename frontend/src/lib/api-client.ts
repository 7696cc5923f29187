/**
 * The one API client. Every request goes through `interpret()`, the single interceptor that turns
 * the server's `{message, code, extra}` errors into `ApiError`s, validates bodies with zod, adds the
 * CSRF and token headers, and sends a 401 to the login page.
 */
import type * as z from 'zod/mini';
import { env } from '@/config/env';
import { ApiError, InvalidResponseError, NetworkError, codeMessage } from './errors';

export const TOKEN_STORAGE_KEY = 'genrelens.token';

type UnauthorizedHandler = (error: ApiError) => void;

function defaultOnUnauthorized(): void {
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  window.location.assign(`${env.LOGIN_URL}?next=${next}`);
}

let onUnauthorized: UnauthorizedHandler = defaultOnUnauthorized;

/** Replace what a 401 does (tests, or a future in-app sign-in dialog). Returns the restorer. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): () => void {
  const previous = onUnauthorized;
  onUnauthorized = handler;
  return () => {
    onUnauthorized = previous;
  };
}

function cookie(name: string): string | undefined {
  const match = document.cookie.split('; ').find((part) => part.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : undefined;
}

function authHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = window.localStorage.getItem(TOKEN_STORAGE_KEY);
  if (token) headers.Authorization = `Token ${token}`;
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) {
    const csrf = cookie('csrftoken');
    if (csrf) headers['X-CSRFToken'] = csrf;
  }
  return headers;
}

export function apiUrl(path: string, params?: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  // Absolute, so the same URL works in the browser, in jsdom and behind a proxy.
  const base = env.API_URL || window.location.origin;
  return `${base}${path}${query ? `?${query}` : ''}`;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const STATUS_CODES: Record<number, string> = {
  400: 'invalid_parameter',
  401: 'not_authenticated',
  403: 'permission_denied',
  404: 'not_found',
  413: 'file_too_large',
  415: 'unsupported_media_type',
  429: 'throttled',
};

/**
 * The interceptor: status + body text in, validated data out, or a typed error thrown.
 * Shared by `fetch` requests and the XHR uploads (which need upload progress events).
 */
export function interpret<T>(status: number, text: string, schema: z.ZodMiniType<T> | null, retryAfter?: string | null): T {
  const body = parseJson(text);
  if (status < 200 || status >= 300) {
    const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const code =
      typeof record.code === 'string' ? record.code : (STATUS_CODES[status] ?? (status >= 500 ? 'server_error' : 'http_error'));
    const serverMessage = typeof record.message === 'string' ? record.message : typeof record.detail === 'string' ? record.detail : '';
    const message =
      serverMessage ||
      codeMessage(code) ||
      (status >= 500 ? `The server had a problem (HTTP ${status}). Please try again later.` : `Request failed (HTTP ${status}).`);
    const extra = (record.extra && typeof record.extra === 'object' ? record.extra : {}) as Record<string, unknown>;
    if (retryAfter) extra.retry_after = retryAfter;
    const error = new ApiError(message, { code, status, extra });
    if (status === 401) onUnauthorized(error);
    throw error;
  }
  if (schema === null) return undefined as T;
  if (body === undefined) throw new InvalidResponseError('The server sent a response that is not JSON.');
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown field';
    throw new InvalidResponseError(`The server's response did not match the API contract (${where}).`);
  }
  return parsed.data;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  params?: Record<string, string | number | undefined | null>;
  body?: BodyInit;
  /** A JSON body (sent with its content type); instead of `body`. */
  json?: unknown;
  signal?: AbortSignal;
}

/** A JSON request through the interceptor. Pass `null` as schema for bodiless answers (204). */
export async function request<T>(path: string, schema: z.ZodMiniType<T> | null, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  let response: Response;
  try {
    const json = options.json !== undefined;
    response = await fetch(apiUrl(path, options.params), {
      method,
      headers: json ? { ...authHeaders(method), 'Content-Type': 'application/json' } : authHeaders(method),
      body: json ? JSON.stringify(options.json) : options.body,
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError();
  }
  const text = await response.text();
  return interpret(response.status, text, schema, response.headers.get('Retry-After'));
}

export interface UploadOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * A multipart POST with upload progress (fetch cannot report it), through the same interceptor.
 */
export function upload<T>(path: string, form: FormData, schema: z.ZodMiniType<T>, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path));
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(authHeaders('POST'))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      try {
        options.onProgress?.(1);
        resolve(interpret(xhr.status, xhr.responseText, schema, xhr.getResponseHeader('Retry-After')));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new NetworkError());
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
