/**
 * The client routes (Django returns index.html for each): every route has its own error boundary,
 * and every view has a URL (the result's open genre card is `?genre=<slug>`).
 */
import type { RouteObject } from 'react-router';
import { Layout } from '@/components/layout';
import { RouteError } from '@/components/error-boundary';
import { HomeRoute } from './routes/home';
import { AnalysisRoute } from './routes/analysis';
import { LibraryRoute } from './routes/library';
import { GenresRoute } from './routes/genres';
import { GenreRoute } from './routes/genre';
import { ArtistRoute } from './routes/artist';
import { NotFoundRoute } from './routes/not-found';

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <HomeRoute />, errorElement: <RouteError /> },
      { path: '/analyses/:id', element: <AnalysisRoute />, errorElement: <RouteError /> },
      { path: '/library', element: <LibraryRoute />, errorElement: <RouteError /> },
      { path: '/genres', element: <GenresRoute />, errorElement: <RouteError /> },
      { path: '/genres/:slug', element: <GenreRoute />, errorElement: <RouteError /> },
      { path: '/artists/:id', element: <ArtistRoute />, errorElement: <RouteError /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];
