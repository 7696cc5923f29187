/** One genre's encyclopedia page. */
import { useParams } from 'react-router';
import { Page } from '@/components/layout';
import { GenrePage } from '@/features/genres/components/genre-page';

export function GenreRoute() {
  const { slug = '' } = useParams();
  return (
    <Page wide>
      <GenrePage slug={slug} />
    </Page>
  );
}
