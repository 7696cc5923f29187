/**
 * Error boundaries. `RouteError` is each route's `errorElement` (react-router catches loader and
 * render errors there); `ErrorBoundary` guards smaller parts such as a chart, so one broken widget
 * does not blank the page.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { errorMessage } from '@/lib/errors';

export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const message = isRouteErrorResponse(error) ? error.statusText || `HTTP ${error.status}` : errorMessage(error);
  return (
    <main id="main" className="page">
      <section className="card notice notice--error" role="alert">
        <h1>{notFound ? 'Page not found' : 'This page hit a problem'}</h1>
        <p>{notFound ? 'There is nothing at this address.' : message}</p>
        <p className="row">
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload
          </button>
          <Link className="button button--ghost" to="/">
            Go to the start page
          </Link>
        </p>
      </section>
    </main>
  );
}

interface BoundaryProps {
  children: ReactNode;
  /** What to show instead of the broken part. */
  fallback?: (error: unknown, reset: () => void) => ReactNode;
}

export class ErrorBoundary extends Component<BoundaryProps, { error: unknown }> {
  state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Keep a trace for developers; the user sees the fallback.
    console.warn('GenreLens component error', error, info.componentStack);
  }

  reset = () => this.setState({ error: null });

  render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    if (this.props.fallback) return this.props.fallback(error, this.reset);
    return (
      <div className="notice notice--error" role="alert">
        <p>This part could not be shown: {errorMessage(error)}</p>
        <button type="button" className="button button--small" onClick={this.reset}>
          Try again
        </button>
      </div>
    );
  }
}
