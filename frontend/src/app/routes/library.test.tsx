import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { ROW_HEIGHT } from '@/features/library/components/library-table';
import { baseTracks, trackItem } from '@/testing/fixtures';
import { db } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderApp } from '@/testing/test-utils';

function trackRequests(): URL[] {
  const seen: URL[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/tracks/') seen.push(url);
  });
  return seen;
}

describe('library', () => {
  afterEach(() => server.events.removeAllListeners());

  it('lists every analysed track with genre, BPM and key', async () => {
    renderApp('/library');
    const table = await screen.findByRole('table', { name: 'Analysed tracks' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    const row = within(table).getByRole('row', { name: /Night Drive/ });
    expect(row).toHaveTextContent('Tech House');
    expect(row).toHaveTextContent('128');
    expect(row).toHaveTextContent('8A');
    expect(within(table).getByRole('row', { name: /Field Recording/ })).toHaveTextContent('unsure');
    expect(screen.getByText('3 tracks')).toBeInTheDocument();
  });

  it('offers the filtered tracks as CSV and rekordbox XML downloads', async () => {
    renderApp('/library?family=house&bpm_min=120&page=2');
    const csv = await screen.findByRole('link', { name: 'CSV' });
    const url = new URL(csv.getAttribute('href') ?? '');
    expect(url.pathname).toBe('/api/tracks/export/');
    expect(Object.fromEntries(url.searchParams)).toEqual({ family: 'house', bpm_min: '120', format: 'csv' });
    const xml = new URL(screen.getByRole('link', { name: 'rekordbox XML' }).getAttribute('href') ?? '');
    expect(xml.searchParams.get('format')).toBe('rekordbox');
  });

  it('sorts by a column through the URL and the API ordering', async () => {
    const seen = trackRequests();
    const { user, router } = renderApp('/library');
    const table = await screen.findByRole('table', { name: 'Analysed tracks' });
    await user.click(within(table).getByRole('button', { name: /BPM/ }));
    await waitFor(() => expect(router.state.location.search).toBe('?ordering=bpm'));
    await waitFor(() => expect(seen.at(-1)?.searchParams.get('ordering')).toBe('bpm'));
    await waitFor(() => expect(within(table).getAllByRole('row')[1]).toHaveTextContent('Field Recording'));
    expect(within(table).getByRole('columnheader', { name: /BPM/ })).toHaveAttribute('aria-sort', 'ascending');
    await user.click(within(table).getByRole('button', { name: /BPM/ }));
    await waitFor(() => expect(router.state.location.search).toBe('?ordering=-bpm'));
    await waitFor(() => expect(within(table).getAllByRole('row')[1]).toHaveTextContent('Rollers'));
  });

  it('filters by family, BPM range and key, and clears', async () => {
    const seen = trackRequests();
    const { user, router } = renderApp('/library');
    await screen.findByRole('table', { name: 'Analysed tracks' });
    await screen.findByRole('option', { name: 'Drum & Bass' });
    await user.selectOptions(screen.getByLabelText('Family'), 'drum-and-bass');
    await waitFor(() => expect(screen.getByText('1 track')).toBeInTheDocument());
    expect(seen.at(-1)?.searchParams.get('family')).toBe('drum-and-bass');
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(screen.getByText('3 tracks')).toBeInTheDocument());
    await user.type(screen.getByLabelText('BPM from'), '125');
    await waitFor(() => expect(screen.getByText('2 tracks')).toBeInTheDocument());
    await user.selectOptions(screen.getByLabelText('Key'), '4A');
    await waitFor(() => expect(screen.getByText('1 track')).toBeInTheDocument());
    expect(router.state.location.search).toContain('key=4A');
  });

  it('filters by keys that mix, energy and unsure answers', async () => {
    const seen = trackRequests();
    const { user, router } = renderApp('/library');
    await screen.findByRole('table', { name: 'Analysed tracks' });
    expect(screen.getByLabelText('and keys that mix')).toBeDisabled();
    await user.selectOptions(screen.getByLabelText('Key'), '9A');
    await waitFor(() => expect(screen.getByText('0 tracks')).toBeInTheDocument());
    await user.click(screen.getByLabelText('and keys that mix'));
    await waitFor(() => expect(screen.getByText('1 track')).toBeInTheDocument()); // 8A, one step down
    expect(seen.at(-1)?.searchParams.get('mixable')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.type(screen.getByLabelText('Energy from'), '5');
    await waitFor(() => expect(screen.getByText('2 tracks')).toBeInTheDocument());
    await user.selectOptions(screen.getByLabelText('Answer'), 'Unsure only');
    await waitFor(() => expect(screen.getByText('0 tracks')).toBeInTheDocument());
    expect(router.state.location.search).toContain('unsure=true');
    expect(router.state.location.search).toContain('energy_min=5');
  });

  it('searches after typing stops', async () => {
    const { user } = renderApp('/library');
    await screen.findByRole('table', { name: 'Analysed tracks' });
    await user.type(screen.getByLabelText('Search'), 'roll');
    await waitFor(() => expect(screen.getByText('1 track')).toBeInTheDocument());
    expect(screen.getByRole('row', { name: /Rollers/ })).toBeInTheDocument();
  });

  it('restores a filtered view from a deep link', async () => {
    const seen = trackRequests();
    renderApp('/library?genre=tech-house&ordering=-bpm');
    await screen.findByRole('table', { name: 'Analysed tracks' });
    expect(seen[0]?.searchParams.get('genre')).toBe('tech-house');
    expect(seen[0]?.searchParams.get('ordering')).toBe('-bpm');
  });

  it('labels and exports the ticked tracks, a selection kept across filters', async () => {
    const { user } = renderApp('/library');
    const table = await screen.findByRole('table', { name: 'Analysed tracks' });
    await screen.findByRole('option', { name: 'Drum & Bass' });
    expect(screen.queryByRole('region', { name: 'Selected tracks' })).not.toBeInTheDocument();
    await user.click(within(table).getByRole('checkbox', { name: 'Select Night Drive' }));
    await user.selectOptions(screen.getByLabelText('Family'), 'drum-and-bass');
    await waitFor(() => expect(screen.getByText('1 track')).toBeInTheDocument());
    const page = screen.getByRole('checkbox', { name: 'Select every listed track' });
    await user.click(page);
    const bulk = screen.getByRole('region', { name: 'Selected tracks' });
    expect(bulk).toHaveTextContent('2 tracks selected');
    const ids = new URL(within(bulk).getByRole('link', { name: 'CSV' }).getAttribute('href') ?? '').searchParams.get('ids')?.split(',');
    expect(ids).toHaveLength(2);
    await user.selectOptions(within(bulk).getByLabelText('Label as'), 'deep-house');
    await user.click(within(bulk).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(within(bulk).getByRole('status')).toHaveTextContent('Labelled 2 tracks.'));
    expect(ids?.map((id) => db.labels.get(id))).toEqual(['deep-house', 'deep-house']);
    await user.click(page);
    expect(screen.getByRole('region', { name: 'Selected tracks' })).toHaveTextContent('1 track selected');
    await user.click(within(bulk).getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('region', { name: 'Selected tracks' })).not.toBeInTheDocument();
  });

  it('selects every track the filters match, loaded or not, up to a selection of 500', async () => {
    const asked: URL[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname.endsWith('/tracks/ids/')) asked.push(url);
    });
    const { user } = renderApp('/library?family=drum-and-bass');
    await waitFor(() => expect(screen.getByText('1 track')).toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Select all matching (1)' }));
    expect(await screen.findByRole('region', { name: 'Selected tracks' })).toHaveTextContent('1 track selected');
    expect(asked.at(-1)?.searchParams.get('family')).toBe('drum-and-bass');
    expect(asked.at(-1)?.searchParams.has('page')).toBe(false);
    server.events.removeAllListeners();
    server.use(
      http.get('*/api/tracks/', () => HttpResponse.json({ count: 1200, next: null, previous: null, results: baseTracks() })),
      http.get('*/api/tracks/ids/', () =>
        HttpResponse.json({ count: 1200, ids: Array.from({ length: 500 }, (_, i) => `t-${String(i).padStart(4, '0')}`), truncated: true }),
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.click(await screen.findByRole('button', { name: 'Select the first 500 matching' }));
    // The drum & bass track stays ticked; the selection stops at 500 in all.
    expect(await screen.findByText(/the first 500 of 1200 are ticked/)).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Selected tracks' })).toHaveTextContent('500 tracks selected');
  });

  it('scrolls through 10,000 tracks drawing only the rows in view and fetching only their pages', async () => {
    const pages: number[] = [];
    server.use(
      http.get('*/api/tracks/', ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page') ?? '1');
        pages.push(page);
        const results = Array.from({ length: 25 }, (_, i) => {
          const n = (page - 1) * 25 + i;
          return trackItem(n, { id: `big-${n}`, title: `Track ${n}` });
        });
        return HttpResponse.json({ count: 10_000, next: null, previous: null, results });
      }),
    );
    renderApp('/library');
    const table = await screen.findByRole('table', { name: 'Analysed tracks' });
    expect(table).toHaveAttribute('aria-rowcount', '10001');
    await within(table).findByRole('row', { name: /Track 0\b/ });
    const drawn = within(table).getAllByRole('row').length;
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(50); // a 600 px window and the overscan, not 10,000 rows
    expect(new Set(pages)).toEqual(new Set([1]));

    const scroller = screen.getByRole('region', { name: /Tracks, 10000 in all/ });
    scroller.scrollTop = 5000 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    const far = await within(table).findByRole('row', { name: /Track 5000\b/ });
    expect(far).toHaveAttribute('aria-rowindex', '5002');
    expect(within(table).queryByRole('row', { name: /Track 0\b/ })).not.toBeInTheDocument();
    expect(within(table).getAllByRole('row').length).toBeLessThan(50);
    expect(pages).toContain(201);
    expect(Math.max(...pages)).toBeLessThan(204); // only the pages around row 5,000
    expect(pages).not.toContain(100);
  });

  it('says when nothing matches', async () => {
    renderApp('/library?search=zzz');
    expect(await screen.findByText('No track matches these filters.')).toBeInTheDocument();
  });
});

describe('artist page', () => {
  it('shows the genre mix and tracks', async () => {
    renderApp('/artists/7');
    expect(await screen.findByRole('heading', { level: 1, name: 'Lumen Grid' })).toBeInTheDocument();
    expect(screen.getByLabelText('Family mix')).toHaveTextContent('House 63%');
    const mix = screen.getByRole('table', { name: 'Lumen Grid genre mix' });
    expect(within(mix).getByRole('row', { name: /Tech House 41.0%/ })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Tracks by Lumen Grid' })).toHaveTextContent('Night Drive');
  });

  it('shows a missing artist', async () => {
    renderApp('/artists/999');
    expect(await screen.findByText('Artist not found.')).toBeInTheDocument();
  });
});
