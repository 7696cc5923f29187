/** The page frame: skip link, header with navigation, main outlet, footer. */
import { useEffect, useRef, type ReactNode } from 'react';
import { NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';

const NAV = [
  { to: '/', label: 'Analyse', end: true },
  { to: '/library', label: 'Library', end: false },
  { to: '/genres', label: 'Encyclopedia', end: false },
];

/** After a client-side page change, move focus to the new page so screen readers announce it. */
function useFocusOnNavigate(): void {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
}

export function Layout() {
  useFocusOnNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <NavLink to="/" className="brand" aria-label="GenreLens home">
            <span className="brand__mark" aria-hidden="true" />
            GenreLens
          </NavLink>
          <nav aria-label="Main">
            <ul className="nav">
              {NAV.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end} className={({ isActive }) => `nav__link${isActive ? ' is-active' : ''}`}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
      <Outlet />
      <footer className="site-footer">
        <p>
          GenreLens estimates genres from the sound of a track. Probabilities are the model&apos;s estimate, not a
          verdict. <a href="/api/docs/">API docs</a>
        </p>
      </footer>
      <ScrollRestoration />
    </>
  );
}

export function Page({ title, children, wide = false }: { title?: string; children: ReactNode; wide?: boolean }) {
  return (
    <main id="main" className={`page${wide ? ' page--wide' : ''}`} tabIndex={-1}>
      {title ? <title>{`${title} · GenreLens`}</title> : null}
      {children}
    </main>
  );
}
