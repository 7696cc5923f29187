/** Encyclopedia index: the taxonomy map. */
import { Page } from '@/components/layout';
import { GenreTree } from '@/features/genres/components/genre-tree';

export function GenresRoute() {
  return (
    <Page title="Genre encyclopedia" wide>
      <h1>Genre encyclopedia</h1>
      <p className="muted">The electronic genres GenreLens knows, grouped in families. Choose one to read about it and see its tracks.</p>
      <GenreTree />
    </Page>
  );
}
