/** Any unknown client route. */
import { Link } from 'react-router';
import { Page } from '@/components/layout';

export function NotFoundRoute() {
  return (
    <Page title="Not found">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Analyse a track</Link> or browse the <Link to="/genres">encyclopedia</Link>.
      </p>
    </Page>
  );
}
