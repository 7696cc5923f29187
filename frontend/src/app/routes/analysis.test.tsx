import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { ANALYSIS_IDS } from '@/testing/fixtures';
import { db } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderApp } from '@/testing/test-utils';

describe('analysis result page', () => {
  it('shows the headline, the facts with Camelot, and the values as a table', async () => {
    renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Night Drive' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: /Tech House 41%/ })).toBeInTheDocument();
    const facts = screen.getByRole('region', { name: 'Tempo, key, energy and loudness' });
    expect(facts).toHaveTextContent('128 BPM');
    expect(facts).toHaveTextContent('A minor');
    expect(facts).toHaveTextContent('Camelot 8A');
    expect(facts).toHaveTextContent('-8.4 LUFS');
    expect(facts).toHaveTextContent('3:18');
    expect(facts).toHaveTextContent('Energy7/10driven by loudness · drive');
    const structure = screen.getByRole('region', { name: 'Sections and cues' });
    expect(within(structure).getByRole('button', { name: /first drop \(0:45\.1\)/ })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Genre probabilities' });
    expect(within(table).getByRole('row', { name: /Tech House House 41.0%/ })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /All House family 63.0%/ })).toBeInTheDocument();
    expect(screen.queryByText(/not sure/)).not.toBeInTheDocument();
  });

  it('lists similar tracks and narrows them to keys that mix', async () => {
    const seen: URL[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname.endsWith('/similar/')) seen.push(url);
    });
    const { user } = renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    const card = await screen.findByRole('region', { name: 'Sounds like' });
    const table = await within(card).findByRole('table', { name: 'Tracks that sound like this one' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByRole('row', { name: /Field Recording/ })).toHaveTextContent('0.90');
    // A cosine below 0 is shown as it is, never as a negative percentage.
    expect(within(table).getAllByRole('row').at(-1)).toHaveTextContent('-0.30');
    expect(seen.at(-1)?.pathname).toBe('/api/tracks/t-0b8a3c1e-0000-4000-8000-000000000001/similar/');
    await user.click(within(card).getByLabelText(/Only keys that mix/));
    expect(await within(card).findByText('No track in the library matches within these limits.')).toBeInTheDocument();
    expect(seen.at(-1)?.searchParams.get('compatible_key')).toBe('true');
    await user.click(within(card).getByLabelText(/Only keys that mix/));
    await user.selectOptions(within(card).getByLabelText('Tempo'), 'Within ±6 BPM');
    await waitFor(() => expect(seen.at(-1)?.searchParams.get('bpm_tolerance')).toBe('6'));
    server.events.removeAllListeners();
  });

  it('confirms the genre, corrects it, and shows what the labels say', async () => {
    const { user } = renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    const card = await screen.findByRole('region', { name: 'Is this right?' });
    expect(await within(card).findByText(/No track labelled yet/)).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Yes, it is Tech House' }));
    expect(await within(card).findByText(/You filed this track as/)).toHaveTextContent('Tech House');
    expect(within(card).getByText(/1 labelled track in 1 genre/)).toBeInTheDocument();
    expect(within(card).getByText(/Label tracks of at least 2 genres/)).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Change' }));
    await screen.findByRole('option', { name: 'Deep House' });
    await user.selectOptions(within(card).getByLabelText('It is'), 'deep-house');
    await user.click(within(card).getByRole('button', { name: 'Save the label' }));
    expect(await within(card).findByText(/You filed this track as/)).toHaveTextContent('Deep House');
    await user.click(within(card).getByRole('button', { name: 'Remove the label' }));
    expect(await within(card).findByRole('button', { name: 'Yes, it is Tech House' })).toBeInTheDocument();
  });

  it('ranks by the labels once two genres are labelled, with the measured accuracy', async () => {
    db.labels.set('a', 'deep-house');
    db.labels.set('b', 'tech-house');
    renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    const card = await screen.findByRole('region', { name: 'Is this right?' });
    const ranking = await within(card).findByRole('list', { name: 'Genres by your labels' });
    expect(within(ranking).getAllByRole('listitem')[0]).toHaveTextContent('Deep House 60%');
    expect(within(ranking).getByText('Tech House').parentElement).toHaveTextContent("also the shipped model's");
    expect(card).toHaveTextContent('2 labelled tracks in 2 genres · your layer gets 75% of them right when each is left out of its fit · the shipped model\'s top genre 50%');
  });

  it('offers no similar tracks when there is no genre model', async () => {
    renderApp(`/analyses/${ANALYSIS_IDS.noModel}`);
    await screen.findByRole('heading', { level: 1 });
    expect(screen.queryByRole('region', { name: 'Sounds like' })).not.toBeInTheDocument();
  });

  it('explains the match trait by trait', async () => {
    const { user } = renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    await screen.findByRole('heading', { name: 'Why these genres?' });
    expect(screen.getByText(/5 of 6 traits fit Tech House/)).toBeInTheDocument();
    expect(screen.getByText(/more compressed than most tech house/)).toBeInTheDocument();
    await user.click(screen.getByRole('tab', { name: /Deep House/ }));
    expect(screen.getByText(/0 of 2 traits fit Deep House/)).toBeInTheDocument();
  });

  it('opens a genre card from the ranked list, follows a related genre, and closes with Escape', async () => {
    const { user, router } = renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    const ranked = await screen.findByRole('list', { name: 'Genres ranked by probability' });
    await user.click(within(ranked).getByRole('button', { name: /Tech House/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Tech House' });
    expect(router.state.location.search).toBe('?genre=tech-house');
    expect(await within(dialog).findByText(/Grew out of London clubs/)).toBeInTheDocument();
    expect(within(dialog).getByText('120–130 BPM')).toBeInTheDocument();
    expect(within(dialog).getByText(/Green Velvet/)).toBeInTheDocument();
    expect(within(dialog).getByRole('img', { name: /Tech House/ })).toHaveAttribute('src', '/static/genre_images/tech-house.png');
    await user.click(within(dialog).getByRole('button', { name: 'Deep House' }));
    expect(await screen.findByRole('dialog', { name: 'Deep House' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(router.state.location.search).toBe('');
  });

  it('opens the card from a deep link', async () => {
    renderApp(`/analyses/${ANALYSIS_IDS.techHouse}?genre=deep-house`);
    const dialog = await screen.findByRole('dialog', { name: 'Deep House' });
    expect(await within(dialog).findByText('Larry Heard, Kerri Chandler')).toBeInTheDocument();
  });

  it('says plainly when it is unsure, and why', async () => {
    renderApp(`/analyses/${ANALYSIS_IDS.unsure}`);
    expect(await screen.findByRole('heading', { name: 'GenreLens is not sure about this track' })).toBeInTheDocument();
    expect(screen.getByText('The top genres are nearly tied.')).toBeInTheDocument();
    expect(screen.getByText(/may not be electronic music/)).toBeInTheDocument();
    expect(screen.getByText('Best guess')).toBeInTheDocument();
  });

  it('says when no genre model is installed', async () => {
    renderApp(`/analyses/${ANALYSIS_IDS.noModel}`);
    expect(await screen.findByText(/No genre model is installed on this server/)).toBeInTheDocument();
    expect(screen.getByText(/no genre model installed yet/)).toBeInTheDocument();
    expect(screen.getByText('128 BPM')).toBeInTheDocument();
  });

  it("shows a failed analysis with the server's message", async () => {
    renderApp(`/analyses/${ANALYSIS_IDS.failed}`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This track could not be analysed');
    expect(alert).toHaveTextContent('invalid MP3 frame header');
    expect(alert).toHaveTextContent('audio_decode_failed');
  });

  it('shows "Queued" for a job no worker has picked up', async () => {
    renderApp(`/analyses/${ANALYSIS_IDS.queued}`);
    expect(await screen.findByTestId('analysis-stage')).toHaveTextContent('Queued');
    expect(screen.getByRole('progressbar', { name: 'Analysis progress' })).toHaveAttribute('aria-valuenow', '0');
  });

  it('shows a 404 as a missing analysis', async () => {
    renderApp('/analyses/does-not-exist');
    expect(await screen.findByText('This analysis does not exist')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('shows a server error with a retry', async () => {
    let calls = 0;
    server.use(
      http.get('*/api/analyses/:id/', () => {
        calls += 1;
        return calls === 1 ? HttpResponse.text('boom', { status: 500 }) : HttpResponse.json({ message: 'x', code: 'not_found', extra: {} }, { status: 404 });
      }),
    );
    const { user } = renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    expect(await screen.findByText(/The server had a problem \(HTTP 500\)/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('This analysis does not exist')).toBeInTheDocument();
  });

  it('deletes with a token, then the analysis is gone (404 on reload)', async () => {
    window.localStorage.setItem('genrelens.token', 'k');
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { user, router } = renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    const calls: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (new URL(request.url).pathname === `/api/analyses/${ANALYSIS_IDS.techHouse}/`) calls.push(request.method);
    });
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    await screen.findByRole('heading', { name: 'Recently analysed' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    // No refetch of the deleted analysis (it would 404 and log an error in the browser).
    expect(calls.slice(calls.indexOf('DELETE'))).toEqual(['DELETE']);
    server.events.removeAllListeners();
    await act(() => router.navigate(`/analyses/${ANALYSIS_IDS.techHouse}`));
    expect(await screen.findByText('This analysis does not exist')).toBeInTheDocument();
  });

  it('plays from a timeline segment', async () => {
    const { user, container } = renderApp(`/analyses/${ANALYSIS_IDS.techHouse}`);
    const band = await screen.findByRole('list', { name: /Segments/ });
    const segments = within(band).getAllByRole('button');
    expect(segments).toHaveLength(7);
    await user.click(within(band).getByRole('button', { name: /^1:00 to 1:30: Tech House 55%/ }));
    const audio = container.ownerDocument.querySelector('audio');
    expect(audio?.currentTime).toBe(60);
    expect(within(band).getByRole('button', { name: /^1:00 to 1:30/ })).toHaveClass('is-playing');
  });
});
