import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { db } from '@/testing/handlers';
import { server } from '@/testing/server';
import { pngAsMp3, renderApp, wavFile } from '@/testing/test-utils';

function fileInput(): HTMLInputElement {
  return screen.getByLabelText('Audio files to analyse');
}

/** A small WAV whose bytes differ by `seed`, placed at `path` inside a chosen folder. */
function folderWav(path: string, seed: number): File {
  const file = wavFile(path.split('/').at(-1), 2048 + seed);
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

function inFolder(file: File, path: string): File {
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

async function sha256(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('adding a folder', () => {
  it('skips what the library has, waits out the rate limit, and lists what failed', async () => {
    const old = folderWav('Crate/Old.wav', 1);
    db.known.add(await sha256(old));
    db.throttled = 1;
    const files = [
      folderWav('Crate/A.wav', 2),
      folderWav('Crate/Sub/B.wav', 3),
      old,
      inFolder(new File(['cover'], 'cover.jpg', { type: 'image/jpeg' }), 'Crate/cover.jpg'),
      inFolder(pngAsMp3('Bad.mp3'), 'Crate/Sub/Bad.mp3'),
    ];
    const { user } = renderApp('/');
    await user.upload(screen.getByLabelText('Folder of tracks to add'), files);
    const panel = await screen.findByRole('region', { name: 'Added “Crate”' }, { timeout: 8000 });
    expect(panel).toHaveTextContent('4 of 4 audio files · 2 sent · 1 already analysed · 1 failed');
    expect(panel).toHaveTextContent('1 other file (covers, playlists…) left out.');
    expect(within(panel).getByText('Crate/Sub/Bad.mp3').parentElement).toHaveTextContent(/content is image\/png/);
    expect(db.uploads).toBe(2);
    expect(within(panel).getByRole('link', { name: 'Open the library' })).toHaveAttribute('href', '/library');
    await screen.findByText(/Every analysis is finished|waiting in the queue/);
  });

  it('labels each track with the genre its folder names, when asked', async () => {
    const old = folderWav('Crates/Tech House/Old.wav', 6);
    db.known.add(await sha256(old));
    const { user } = renderApp('/');
    const teach = screen.getByLabelText(/Folder names are genres/);
    await waitFor(() => expect(teach).toBeEnabled()); // once the taxonomy is loaded
    await user.click(teach);
    await user.upload(screen.getByLabelText('Folder of tracks to add'), [
      folderWav('Crates/Deep House/A.wav', 7),
      folderWav('Crates/Warm-up/B.wav', 8),
      old,
    ]);
    const panel = await screen.findByRole('region', { name: 'Added “Crates”' }, { timeout: 8000 });
    expect(panel).toHaveTextContent('Labelled by folder name: 2 tracks.');
    expect(panel).toHaveTextContent('Folders that name no genre, left unlabelled: “Warm-up”.');
    expect([...db.labels.values()].sort()).toEqual(['deep-house', 'tech-house']);
  });

  it('stops when asked, keeping what was sent', async () => {
    db.throttled = 100;
    const { user } = renderApp('/');
    await user.upload(screen.getByLabelText('Folder of tracks to add'), [folderWav('Slow/A.wav', 4), folderWav('Slow/B.wav', 5)]);
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    const panel = await screen.findByRole('region', { name: 'Stopped adding “Slow”' });
    expect(panel).toHaveTextContent('0 of 2 audio files · 0 sent');
    await user.click(within(panel).getByRole('button', { name: 'Dismiss the folder import' }));
    expect(screen.queryByRole('region', { name: /Slow/ })).not.toBeInTheDocument();
  });
});

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
