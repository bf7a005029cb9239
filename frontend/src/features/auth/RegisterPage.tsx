import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "../../api/client";
import { AuthForm } from "./AuthForm";
import { useCurrentUser, useRegister } from "./useAuth";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { safeNextPath } from "./nextPath";

export function RegisterPage() {
  useDocumentTitle("Create an account");
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const register = useRegister();
  const next = safeNextPath(search.get("next"));

  if (me.data && !register.isPending) return <Navigate to={next} replace />;

  return (
    <AuthForm
      title="Create an account"
      subtitle="Your uploads and results are private to your account."
      submitLabel="Create account"
      pending={register.isPending}
      error={register.error ? errorMessage(register.error, "register") : null}
      passwordHint="At least 8 characters, mixing letters with digits or symbols."
      passwordAutocomplete="new-password"
      onSubmit={(email, password) => register.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) })}
      footer={
        <>
          Already have an account? <Link to={`/login${search.get("next") ? `?next=${encodeURIComponent(next)}` : ""}`}>Log in</Link>
        </>
      }
    />
  );
}
