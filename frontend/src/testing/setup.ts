/** Vitest set-up: jest-dom matchers, MSW (unhandled requests fail the test), jsdom gaps. */
import '@testing-library/jest-dom/vitest';
import { Blob as NodeBlob, File as NodeFile } from 'node:buffer';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { db } from './handlers';
import { server } from './server';

// Lazy routes load their module on first visit; give that time on a busy machine.
configure({ asyncUtilTimeout: 5000 });

class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

/**
 * jsdom's File, Blob and FormData are not Node's, so a multipart body built from them reaches MSW
 * with its file contents lost. Use Node's classes (MSW replaces XMLHttpRequest, so jsdom never
 * serialises them itself).
 */
async function useNodeFormData(): Promise<void> {
  const form = await new Response(new URLSearchParams('a=1')).formData();
  vi.stubGlobal('FormData', form.constructor);
  vi.stubGlobal('File', NodeFile);
  vi.stubGlobal('Blob', NodeBlob);
}

/**
 * jsdom lays nothing out, so every element is 0 px tall and a windowed table (the library's)
 * would show no row at all. Its scrolling window gets the height of a short screen instead.
 */
function giveScrollWindowsAHeight(): void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('table-window') ? 600 : 0;
    },
  });
}

beforeAll(async () => {
  giveScrollWindowsAHeight();
  await useNodeFormData();
  server.listen({ onUnhandledRequest: 'error' });
  vi.stubGlobal('ResizeObserver', ResizeObserverStub);
  window.scrollTo = () => undefined;
  window.HTMLMediaElement.prototype.play = () => Promise.resolve();
  window.HTMLMediaElement.prototype.pause = () => undefined;
});

beforeEach(() => {
  db.reset();
  window.localStorage.clear();
});

afterEach(() => {
  cleanup();
  server.resetHandlers();
});

afterAll(() => server.close());
