import { http, HttpResponse } from 'msw';
import * as z from 'zod/mini';
import { server } from '@/testing/server';
import { interpret, request, setUnauthorizedHandler, upload } from './api-client';
import { ApiError, InvalidResponseError, NetworkError } from './errors';

const Ok = z.object({ ok: z.boolean() });

describe('interpret (the interceptor)', () => {
  it('returns validated data for a 2xx', () => {
    expect(interpret(200, '{"ok":true}', Ok)).toEqual({ ok: true });
  });

  it("keeps the server's message and code", () => {
    const body = JSON.stringify({ message: 'Unsupported file type: image/png.', code: 'unsupported_media_type', extra: { sniffed: 'image/png' } });
    try {
      interpret(415, body, Ok);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      const api = error as ApiError;
      expect(api.code).toBe('unsupported_media_type');
      expect(api.status).toBe(415);
      expect(api.message).toBe('Unsupported file type: image/png.');
      expect(api.extra).toEqual({ sniffed: 'image/png' });
    }
  });

  it('derives a code and message when the body is not JSON (proxy error page)', () => {
    expect(() => interpret(502, '<html>Bad gateway</html>', Ok)).toThrow(/server had a problem \(HTTP 502\)/);
    try {
      interpret(413, '', Ok);
    } catch (error) {
      expect((error as ApiError).code).toBe('file_too_large');
    }
  });

  it('keeps Retry-After of a 429', () => {
    try {
      interpret(429, JSON.stringify({ message: 'Slow down.', code: 'throttled', extra: {} }), Ok, '30');
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).extra.retry_after).toBe('30');
    }
  });

  it('rejects a body that breaks the contract', () => {
    expect(() => interpret(200, '{"ok":"yes"}', Ok)).toThrow(InvalidResponseError);
    expect(() => interpret(200, 'not json', Ok)).toThrow(InvalidResponseError);
  });

  it('sends a 401 to the unauthorized handler (login redirect)', () => {
    const seen: string[] = [];
    const restore = setUnauthorizedHandler((error) => seen.push(error.code));
    try {
      expect(() => interpret(401, JSON.stringify({ message: 'Sign in.', code: 'not_authenticated', extra: {} }), Ok)).toThrow(ApiError);
    } finally {
      restore();
    }
    expect(seen).toEqual(['not_authenticated']);
  });
});

describe('request', () => {
  it('turns a failed connection into a NetworkError', async () => {
    server.use(http.get('*/api/health/ready', () => HttpResponse.error()));
    await expect(request('/api/health/ready', Ok)).rejects.toBeInstanceOf(NetworkError);
  });

  it('adds the token header when a token is stored, and drops empty params', async () => {
    window.localStorage.setItem('genrelens.token', 'abc123');
    let auth: string | null = null;
    let url = '';
    server.use(
      http.get('*/api/ping/', ({ request: r }) => {
        auth = r.headers.get('Authorization');
        url = r.url;
        return HttpResponse.json({ ok: true });
      }),
    );
    await request('/api/ping/', Ok, { params: { a: 'x', b: '', c: undefined } });
    expect(auth).toBe('Token abc123');
    expect(new URL(url).search).toBe('?a=x');
  });
});

describe('upload', () => {
  it('reports progress and parses the answer', async () => {
    server.use(http.post('*/api/up/', () => HttpResponse.json({ ok: true }, { status: 202 })));
    const seen: number[] = [];
    const form = new FormData();
    form.append('file', new File(['abc'], 'a.wav'));
    await expect(upload('/api/up/', form, Ok, { onProgress: (p) => seen.push(p) })).resolves.toEqual({ ok: true });
    expect(seen.at(-1)).toBe(1);
  });

  it('rejects with the server error', async () => {
    server.use(http.post('*/api/up/', () => HttpResponse.json({ message: 'Too big.', code: 'file_too_large', extra: {} }, { status: 413 })));
    const form = new FormData();
    await expect(upload('/api/up/', form, Ok)).rejects.toMatchObject({ code: 'file_too_large', message: 'Too big.' });
  });
});
