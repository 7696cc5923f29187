import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { techHouseGenre, trackItem } from '@/testing/fixtures';
import { server } from '@/testing/server';
import { renderApp } from '@/testing/test-utils';

describe('encyclopedia', () => {
  it('shows the families and their genres, and filters them', async () => {
    const { user } = renderApp('/genres');
    const families = await screen.findByRole('list', { name: 'Genre families' });
    expect(within(families).getByRole('heading', { name: 'House' })).toBeInTheDocument();
    expect(within(families).getByRole('link', { name: /Tech House/ })).toHaveAttribute('href', '/genres/tech-house');
    expect(screen.getByText('7 of 7 genres in 3 families')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Find a genre'), 'dub');
    expect(await screen.findByText('1 of 7 genres in 1 families')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Find a genre'));
    await user.click(screen.getByLabelText('Only genres the model predicts'));
    expect(await screen.findByText('6 of 7 genres in 3 families')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /French House/ })).not.toBeInTheDocument();
  });

  it('shows an error with a retry when the taxonomy fails', async () => {
    server.use(http.get('*/api/genres/', () => HttpResponse.json({ message: 'Database unavailable.', code: 'server_error', extra: {} }, { status: 503 })));
    renderApp('/genres');
    expect(await screen.findByText('Database unavailable.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('shows a genre page with texts, profile, related genres and its tracks', async () => {
    renderApp('/genres/tech-house');
    expect(await screen.findByRole('heading', { level: 1, name: 'Tech House' })).toBeInTheDocument();
    expect(screen.getByText(/Grew out of London clubs/)).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /Tech House/ })).toHaveAttribute('src', '/static/genre_images/tech-house.png');
    const profile = screen.getByRole('table', { name: 'Tech House profile' });
    expect(within(profile).getByRole('row', { name: /Tempo 120 BPM – 130 BPM/ })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Deep House' })).toHaveAttribute('href', '/genres/deep-house');
    expect(screen.getByRole('table', { name: 'Tracks analysed as Tech House' })).toHaveTextContent('Night Drive');
  });

  it("lists a genre's tracks with the genre's share of each, not only their top genre", async () => {
    const tracks = [
      trackItem(1, { title: 'Night Drive' }),
      trackItem(2, { title: 'Dub Hour', top_genre: { slug: 'dub-techno', name: 'Dub Techno', family: 'techno', probability: 0.7 } }),
    ];
    server.use(
      http.get('*/api/genres/tech-house/', () =>
        HttpResponse.json({ ...techHouseGenre, tracks: [{ ...tracks[0], share: 0.4 }, { ...tracks[1], share: 0.25 }] }),
      ),
    );
    renderApp('/genres/tech-house');
    const table = await screen.findByRole('table', { name: 'Tracks analysed as Tech House' });
    expect(within(table).getByRole('columnheader', { name: 'Tech House share' })).toBeInTheDocument();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getAllByRole('cell')[2]).toHaveTextContent('40%');
    expect(within(rows[1]!).getByRole('rowheader')).toHaveTextContent('Dub Hour');
    expect(within(rows[1]!).getAllByRole('cell')[1]).toHaveTextContent('Dub Techno');
    expect(within(rows[1]!).getAllByRole('cell')[2]).toHaveTextContent('25%');
    expect(screen.getByText(/share of 10% or more/)).toBeInTheDocument();
  });

  it('says which share a listed track needs when none has it', async () => {
    renderApp('/genres/deep-house');
    expect(await screen.findByText('No analysed track has a share of Deep House of 10% or more yet.')).toBeInTheDocument();
  });

  it('shows an unknown genre as not found', async () => {
    renderApp('/genres/polka-step');
    expect(await screen.findByText('Genre not found.')).toBeInTheDocument();
  });

  it('shows unknown routes as not found', async () => {
    renderApp('/nowhere');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});
