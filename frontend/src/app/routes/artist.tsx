/** One artist's page. */
import { useParams } from 'react-router';
import { Page } from '@/components/layout';
import { ArtistView } from '@/features/library/components/artist-view';

export function ArtistRoute() {
  const { id = '' } = useParams();
  return (
    <Page wide>
      <ArtistView id={id} />
    </Page>
  );
}
