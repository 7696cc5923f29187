/** Render helpers: the real routes in a memory router with a fresh query client per test. */
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RouterProvider, createMemoryRouter } from 'react-router';
import { AppProvider } from '@/app/provider';
import { routes } from '@/app/routes';

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
}

export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const client = testQueryClient();
  const user = userEvent.setup();
  const view = render(
    <AppProvider client={client}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...view, router, client, user };
}

/** A file whose first bytes are a WAV header (the mock server sniffs content, not names). */
export function wavFile(name = 'kick.wav', size = 2048): File {
  const bytes = new Uint8Array(size);
  bytes.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
  bytes.set([...'WAVE'].map((c) => c.charCodeAt(0)), 8);
  return new File([bytes], name, { type: 'audio/wav' });
}

/** A PNG renamed .mp3: passes the browser's hint check, refused by the server. */
export function pngAsMp3(name = 'cover.mp3'): File {
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  return new File([bytes], name, { type: 'audio/mpeg' });
}
