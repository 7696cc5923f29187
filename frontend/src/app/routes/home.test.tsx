import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { server } from '@/testing/server';
import { pngAsMp3, renderApp, wavFile } from '@/testing/test-utils';

function fileInput(): HTMLInputElement {
  return screen.getByLabelText('Audio files to analyse');
}

describe('start page upload', () => {
  it('uploads one file, follows live progress and shows the breakdown', async () => {
    const { user, router } = renderApp('/');
    await user.upload(fileInput(), wavFile('kick-bass.wav'));
    // One file: straight to its analysis page, which follows the stages by itself.
    expect(await screen.findByRole('heading', { level: 1, name: 'kick-bass' })).toBeInTheDocument();
    expect(router.state.location.pathname).toMatch(/^\/analyses\/5f0c/);
    expect(await screen.findByText('Sounds most like', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: /Tech House 41%/ })).toBeInTheDocument();
  });

  it('shows each stage while the analysis runs', async () => {
    const { user } = renderApp('/');
    await user.upload(fileInput(), wavFile());
    const stage = await screen.findByTestId('analysis-stage');
    const seen = new Set<string>();
    await vi.waitFor(
      () => {
        seen.add(stage.textContent ?? '');
        expect(screen.queryByText('Sounds most like')).toBeInTheDocument();
      },
      { timeout: 5000, interval: 5 },
    );
    expect([...seen].some((text) => /Queued|Decoding|Measuring|Running the genre model/.test(text))).toBe(true);
  });

  it("shows the server's message for a PNG renamed .mp3", async () => {
    const { user } = renderApp('/');
    await user.upload(fileInput(), pngAsMp3());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Upload refused');
    expect(alert).toHaveTextContent('Unsupported file type');
    expect(alert).toHaveTextContent('unsupported_media_type');
  });

  it('refuses a dropped non-audio file in the browser without uploading it', async () => {
    let posts = 0;
    server.events.on('request:start', ({ request }) => {
      if (request.method === 'POST') posts += 1;
    });
    renderApp('/');
    // A drop bypasses the input's accept filter, so the check must catch it.
    fireEvent.drop(screen.getByTestId('dropzone'), {
      dataTransfer: { files: [new File(['hello'], 'notes.txt', { type: 'text/plain' })] },
    });
    expect(await screen.findByText(/does not look like an audio file/)).toBeInTheDocument();
    expect(posts).toBe(0);
    server.events.removeAllListeners();
  });

  it('keeps several files on the page, each with its own progress', async () => {
    const { user, router } = renderApp('/');
    await user.upload(fileInput(), [wavFile('a.wav'), wavFile('b.wav')]);
    const list = await screen.findByRole('list', { name: 'Uploads' });
    expect(router.state.location.pathname).toBe('/');
    await vi.waitFor(() => expect(within(list).getAllByRole('link', { name: 'See the result' })).toHaveLength(2), { timeout: 5000 });
  });

  it('stays on the page when one of the chosen files is refused, so its message is seen', async () => {
    const { router } = renderApp('/');
    fireEvent.drop(screen.getByTestId('dropzone'), {
      dataTransfer: { files: [new File(['x'], 'notes.txt', { type: 'text/plain' }), wavFile('ok.wav')] },
    });
    const list = await screen.findByRole('list', { name: 'Uploads' });
    expect(within(list).getByText(/does not look like an audio file/)).toBeInTheDocument();
    expect(await within(list).findByRole('link', { name: 'See the result' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
  });

  it('shows a 413 from the server with its message', async () => {
    server.use(
      http.post('*/api/analyses/', () =>
        HttpResponse.json({ message: 'The file is 250 MB; the limit is 200 MB.', code: 'file_too_large', extra: {} }, { status: 413 }),
      ),
    );
    const { user } = renderApp('/');
    await user.upload(fileInput(), wavFile());
    expect(await screen.findByText('The file is 250 MB; the limit is 200 MB.')).toBeInTheDocument();
  });

  it('lists recent analyses with their state', async () => {
    renderApp('/');
    const recent = await screen.findAllByRole('link', { name: /Night Drive/ });
    expect(recent.length).toBeGreaterThan(0);
    expect(screen.getByText('Failed')).toBeInTheDocument();
  });
});
