import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "../../api/client";
import type { Registration } from "../../api/types";
import { Alert } from "../../components/ui/Alert";
import { AuthForm } from "./AuthForm";
import { useCurrentUser, useRegister, useRegistration } from "./useAuth";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { safeNextPath } from "./nextPath";

/** Why the sign-up form cannot be used here, or null when it can. */
function whyNot(mode: Registration["mode"], invite: string | null): string | null {
  if (mode === "closed") return "Registration is closed on this site. Ask its operator for an account.";
  if (mode === "invite" && !invite) {
    return "This site creates accounts by invitation only. Open the invitation link you were sent, or ask the site's operator for one.";
  }
  return null;
}

export function RegisterPage() {
  useDocumentTitle("Create an account");
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const register = useRegister();
  const registration = useRegistration();
  const next = safeNextPath(search.get("next"));
  const invite = search.get("invite");
  // Until the server says otherwise (or if it cannot say), offer the form: the server decides on submit.
  const mode = registration.data?.mode ?? "open";
  const unavailable = whyNot(mode, invite);

  if (me.data && !register.isPending) return <Navigate to={next} replace />;

  return (
    <AuthForm
      title="Create an account"
      subtitle={
        mode === "invite" && invite
          ? "You were invited: choose the email and password of your account."
          : "Your uploads and results are private to your account."
      }
      submitLabel="Create account"
      pending={register.isPending}
      error={register.error ? errorMessage(register.error, "register") : null}
      unavailable={unavailable ? <Alert tone="info">{unavailable}</Alert> : undefined}
      passwordHint="At least 8 characters, mixing letters with digits or symbols."
      passwordAutocomplete="new-password"
      onSubmit={(email, password) =>
        register.mutate({ email, password, ...(invite ? { invite } : {}) }, { onSuccess: () => navigate(next, { replace: true }) })
      }
      footer={
        <>
          Already have an account? <Link to={`/login${search.get("next") ? `?next=${encodeURIComponent(next)}` : ""}`}>Log in</Link>
        </>
      }
    />
  );
}
