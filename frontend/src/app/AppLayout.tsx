import { useEffect, useRef, type ReactNode } from "react";
import { Link, NavLink, useLocation, useNavigate } from "react-router";
import type { User } from "../api/types";
import { useLogout } from "../features/auth/useAuth";
import { useLiveMode } from "../hooks/liveUpdates";

/** Header with the navigation and the account menu, around every page of a logged-in user. */
export function AppLayout({ user, children }: { user: User; children: ReactNode }) {
  const navigate = useNavigate();
  // flushSync: the page must be /login before the user is forgotten, or this protected page would
  // redirect first (to /login?next=here).
  const logout = useLogout(() => navigate("/login", { replace: true, state: { loggedOut: true }, flushSync: true }));
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const live = useLiveMode();

  // After navigating, move focus to the page so keyboard and screen reader users start at its top.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" aria-label="SceneLab home">
            <span className="brand__mark" aria-hidden="true" />
            <span className="brand__text">SceneLab</span>
          </Link>
          <nav className="nav" aria-label="Main">
            <NavLink to="/" end className="nav__link">
              History
            </NavLink>
            <NavLink to="/new/heatmap" className="nav__link">
              <span className="nav__long">New heatmap</span>
              <span className="nav__short" aria-hidden="true">
                Heatmap
              </span>
            </NavLink>
            <NavLink to="/new/depth" className="nav__link">
              <span className="nav__long">New depth maps</span>
              <span className="nav__short" aria-hidden="true">
                Depth
              </span>
            </NavLink>
            <NavLink to="/settings" className="nav__link" title="Settings: API tokens, webhook secret">
              <span className="nav__long">Settings</span>
              <span className="nav__short" aria-hidden="true">
                ⚙
              </span>
            </NavLink>
          </nav>
          <div className="account">
            <span
              className={`live-dot live-dot--${live}`}
              title={live === "live" ? "Live updates on" : live === "polling" ? "Live updates unavailable: refreshing every 2 s" : "Connecting…"}
            >
              <span className="visually-hidden">{live === "live" ? "Live updates on" : "Refreshing every 2 seconds"}</span>
            </span>
            <span className="account__email" title={user.email}>
              {user.email}
            </span>
            <button
              type="button"
              className="button button--ghost button--small"
              title={`Signed in as ${user.email}`}
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
            >
              Log out
            </button>
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        {children}
      </main>
    </div>
  );
}
