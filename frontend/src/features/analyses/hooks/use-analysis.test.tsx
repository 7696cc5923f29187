import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import type { ReactNode } from 'react';
import { ANALYSIS_IDS, baseAnalyses } from '@/testing/fixtures';
import { server } from '@/testing/server';
import { testQueryClient } from '@/testing/test-utils';
import { useAnalysis } from './use-analysis';

/** A stand-in for the browser's EventSource that the test drives by hand. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly url: string;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  emit(type: string, data: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
let client = testQueryClient();

describe('useAnalysis', () => {
  beforeEach(() => {
    client = testQueryClient();
    FakeEventSource.instances = [];
  });

  it('polls until the analysis finishes, then stops', async () => {
    let gets = 0;
    server.events.on('request:start', ({ request }) => {
      if (request.method === 'GET' && request.url.includes('/api/analyses/')) gets += 1;
    });
    const uploaded = { ...baseAnalyses()[0]!, id: 'job-1', status: 'queued' as const, stage: 'queued' as const, progress: 0, result: null };
    const steps = [
      uploaded,
      { ...uploaded, status: 'running', stage: 'decoding', progress: 0.2 },
      { ...uploaded, status: 'running', stage: 'model', progress: 0.8 },
      { ...baseAnalyses()[0]!, id: 'job-1' },
    ];
    server.use(http.get('*/api/analyses/job-1/', () => HttpResponse.json(steps[Math.min(gets - 1, steps.length - 1)])));
    const { result } = renderHook(() => useAnalysis('job-1'), { wrapper });
    await waitFor(() => expect(result.current.data?.status).toBe('succeeded'));
    const settled = gets;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gets).toBe(settled);
    expect(result.current.data?.result?.genres[0]?.slug).toBe('tech-house');
    server.events.removeAllListeners();
  });

  it('applies progress events from the stream and fetches the result when done', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const queued = baseAnalyses().find((a) => a.id === ANALYSIS_IDS.queued)!;
    let finished = false;
    server.use(
      http.get(`*/api/analyses/${ANALYSIS_IDS.queued}/`, () =>
        HttpResponse.json(finished ? { ...queued, status: 'succeeded', stage: 'done', progress: 1, result: baseAnalyses()[0]!.result } : queued),
      ),
    );
    const { result } = renderHook(() => useAnalysis(ANALYSIS_IDS.queued), { wrapper });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toMatch(new RegExp(`/api/analyses/${ANALYSIS_IDS.queued}/events/$`));
    const { result: _omit, ...state } = queued;
    act(() => source.emit('progress', { ...state, status: 'running', stage: 'features', progress: 0.5 }));
    await waitFor(() => expect(result.current.data?.stage).toBe('features'));
    finished = true;
    act(() => source.emit('progress', { ...state, status: 'succeeded', stage: 'done', progress: 1 }));
    await waitFor(() => expect(result.current.data?.result?.top[0]?.name).toBe('Tech House'));
    expect(source.closed).toBe(true);
    vi.unstubAllGlobals();
  });

  it('ignores malformed events', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const { result } = renderHook(() => useAnalysis(ANALYSIS_IDS.queued), { wrapper });
    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
    act(() => FakeEventSource.instances[0]!.emit('progress', { nonsense: true }));
    expect(result.current.data?.stage).toBe('queued');
    vi.unstubAllGlobals();
  });
});
