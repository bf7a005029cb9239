import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "../../components/ui/Alert";

interface Props {
  title: string;
  subtitle: string;
  submitLabel: string;
  pending: boolean;
  error: string | null;
  notice?: ReactNode;
  passwordHint?: string;
  passwordAutocomplete: "current-password" | "new-password";
  footer: ReactNode;
  /** Shown instead of the form when it cannot be used (e.g. registration is closed). */
  unavailable?: ReactNode;
  onSubmit: (email: string, password: string) => void;
}

/** The email + password card shared by the login and sign-up pages. */
export function AuthForm({ title, subtitle, submitLabel, pending, error, notice, passwordHint, passwordAutocomplete, footer, unavailable, onSubmit }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [showPassword, setShowPassword] = useState(false);
  const id = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(email.trim(), password);
  };

  return (
    <div className="auth-page">
      <div className="auth-card">
        <div className="auth-card__brand">
          <span className="brand__mark" aria-hidden="true" />
          SceneLab
        </div>
        <h1 className="auth-card__title">{title}</h1>
        <p className="muted">{subtitle}</p>
        {notice}
        {unavailable ?? (
          <form onSubmit={submit} className="auth-form">
            <label className="field__label" htmlFor={`${id}-email`}>
              Email
            </label>
            <input
              id={`${id}-email`}
              type="email"
              name="email"
              autoComplete="email"
              required
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={!!error}
            />
            <label className="field__label" htmlFor={`${id}-password`}>
              Password
            </label>
            <div className="password-input">
              <input
                id={`${id}-password`}
                type={showPassword ? "text" : "password"}
                name="password"
                autoComplete={passwordAutocomplete}
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-describedby={passwordHint ? `${id}-hint` : undefined}
                aria-invalid={!!error}
              />
              <button type="button" className="password-input__toggle" onClick={() => setShowPassword((v) => !v)} aria-pressed={showPassword}>
                {showPassword ? "Hide" : "Show"}
                <span className="visually-hidden"> password</span>
              </button>
            </div>
            {passwordHint && (
              <p id={`${id}-hint`} className="field__hint">
                {passwordHint}
              </p>
            )}
            {error && <Alert>{error}</Alert>}
            <button type="submit" className="button button--primary button--block" disabled={pending}>
              {pending ? "Please wait…" : submitLabel}
            </button>
          </form>
        )}
        <p className="auth-card__footer">{footer}</p>
      </div>
    </div>
  );
}
