/**
 * The client routes (Django returns index.html for each): every route has its own error boundary,
 * and every view has a URL (the result's open genre card is `?genre=<slug>`).
 */
import type { RouteObject } from 'react-router';
import { Layout } from '@/components/layout';
import { RouteError } from '@/components/error-boundary';
import { Loading } from '@/components/feedback';
import { HomeRoute } from './routes/home';
import { NotFoundRoute } from './routes/not-found';

// The start page loads first; every other page (and the chart library) loads when visited.

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    // Shown while the first page's code loads (a deep link straight to a lazy page).
    hydrateFallbackElement: <Loading label="Loading GenreLens…" />,
    children: [
      { path: '/', element: <HomeRoute />, errorElement: <RouteError /> },
      {
        path: '/analyses/:id',
        lazy: async () => ({ Component: (await import('./routes/analysis')).AnalysisRoute }),
        errorElement: <RouteError />,
      },
      { path: '/library', lazy: async () => ({ Component: (await import('./routes/library')).LibraryRoute }), errorElement: <RouteError /> },
      { path: '/genres', lazy: async () => ({ Component: (await import('./routes/genres')).GenresRoute }), errorElement: <RouteError /> },
      { path: '/genres/:slug', lazy: async () => ({ Component: (await import('./routes/genre')).GenreRoute }), errorElement: <RouteError /> },
      { path: '/artists/:id', lazy: async () => ({ Component: (await import('./routes/artist')).ArtistRoute }), errorElement: <RouteError /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];
