import { Navigate, Outlet, useLocation } from "react-router";
import { errorMessage } from "../api/client";
import { useCurrentUser } from "../features/auth/useAuth";
import { LiveUpdatesProvider } from "../hooks/liveUpdates";
import { Alert } from "../components/ui/Alert";
import { AppLayout } from "./AppLayout";
import { Spinner } from "../components/ui/Spinner";

/** Pages behind a login: a visitor without a session goes to /login?next=<where they were going>. */
export function RequireAuth() {
  const me = useCurrentUser();
  const location = useLocation();

  if (me.isPending) {
    return (
      <div className="center-page">
        <Spinner />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="center-page">
        <Alert title="SceneLab is not answering">
          {errorMessage(me.error)}{" "}
          <button type="button" className="link-button" onClick={() => me.refetch()}>
            Try again
          </button>
        </Alert>
      </div>
    );
  }
  if (!me.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <LiveUpdatesProvider>
      <AppLayout user={me.data}>
        <Outlet />
      </AppLayout>
    </LiveUpdatesProvider>
  );
}
