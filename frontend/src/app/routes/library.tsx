/** Library page: all analysed tracks with filters and sorting in the URL. */
import { useSearchParams } from 'react-router';
import { Page } from '@/components/layout';
import { useTaxonomy } from '@/features/genres/hooks/use-genres';
import { LibraryView } from '@/features/library/components/library-view';
import { useArtist } from '@/features/library/hooks/use-library';

export function LibraryRoute() {
  const taxonomy = useTaxonomy();
  const [params] = useSearchParams();
  const artist = useArtist(params.get('artist'));
  return (
    <Page title="Library" wide>
      <h1>Library</h1>
      <p className="muted">Every analysed track. Sort by a column, filter by genre, tempo or key; the address bar keeps the view.</p>
      <LibraryView families={taxonomy.data?.families ?? []} artistName={artist.data?.name ?? null} />
    </Page>
  );
}
