import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "../../api/client";
import { Alert } from "../../components/ui/Alert";
import { AuthForm } from "./AuthForm";
import { useCurrentUser, useLogin } from "./useAuth";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { safeNextPath } from "./nextPath";

export function LoginPage() {
  useDocumentTitle("Log in");
  const [search] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const login = useLogin();
  const next = safeNextPath(search.get("next"));
  const loggedOut = (location.state as { loggedOut?: boolean } | null)?.loggedOut;

  // Already logged in: go on (unless this is the moment of logging out, while the user is being forgotten).
  if (me.data && !login.isPending && !loggedOut) return <Navigate to={next} replace />;

  return (
    <AuthForm
      title="Log in"
      subtitle="Heatmaps of people movement and depth maps from your own footage and photos."
      submitLabel="Log in"
      pending={login.isPending}
      error={login.error ? errorMessage(login.error, "login") : null}
      notice={
        loggedOut && !login.error ? (
          <Alert tone="success">You have been logged out.</Alert>
        ) : search.get("next") && !login.error ? (
          <Alert tone="info">Please log in to continue.</Alert>
        ) : null
      }
      passwordAutocomplete="current-password"
      onSubmit={(email, password) => login.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) })}
      footer={
        <>
          New to SceneLab? <Link to={`/register${search.get("next") ? `?next=${encodeURIComponent(next)}` : ""}`}>Create an account</Link>
        </>
      }
    />
  );
}
