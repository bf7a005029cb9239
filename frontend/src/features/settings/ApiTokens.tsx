import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client";
import type { ApiToken, ApiTokenCreated } from "../../api/types";
import { Alert } from "../../components/ui/Alert";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { CopyButton } from "../../components/ui/CopyButton";
import { Field } from "../../components/ui/Field";
import { Spinner } from "../../components/ui/Spinner";
import { formatDateTime } from "../../lib/format";
import { useCreateToken, useRevokeToken, useTokens } from "./useTokens";

const LIFETIMES = [7, 30, 90, 365] as const;

/** The token just created, shown once with a copy button. */
function NewToken({ created, onDone }: { created: ApiTokenCreated; onDone: () => void }) {
  return (
    <Alert tone="success" title={`Token “${created.name}” created`}>
      <p>Copy it now: it is shown only this once.</p>
      <div className="inline-field">
        <input className="token-value" readOnly value={created.token} aria-label="New API token" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={created.token} />
        <button type="button" className="button button--ghost button--small" onClick={onDone}>
          Done
        </button>
      </div>
      <p className="muted small">
        Send it as <code>Authorization: Bearer {"<token>"}</code>.
      </p>
    </Alert>
  );
}

function TokenRow({ token, onRevoke }: { token: ApiToken; onRevoke: (token: ApiToken) => void }) {
  return (
    <tr>
      <td>{token.name}</td>
      <td>{formatDateTime(token.created_at)}</td>
      <td>{formatDateTime(token.expires_at)}</td>
      <td>{token.last_used_at ? formatDateTime(token.last_used_at) : "never"}</td>
      <td>
        <button type="button" className="button button--danger-ghost button--small" onClick={() => onRevoke(token)} aria-label={`Revoke token ${token.name}`}>
          Revoke
        </button>
      </td>
    </tr>
  );
}

/** Create, copy and revoke the API tokens scripts sign in with. */
export function ApiTokens() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState("");
  const [days, setDays] = useState<number>(90);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), expires_days: days },
      {
        onSuccess: (token) => {
          setCreated(token);
          setName("");
        },
      },
    );
  };

  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title" className="section-title">
        API tokens
      </h2>
      <p className="muted">For scripts: each token acts as you on every API route until it expires or you revoke it.</p>
      {created && <NewToken created={created} onDone={() => setCreated(null)} />}
      <form className="form-grid" onSubmit={submit}>
        <Field id="token-name" label="Name" hint="What the token is for, e.g. “nightly export”">
          <input id="token-name" value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} aria-describedby="token-name-hint" />
        </Field>
        <Field id="token-days" label="Expires after">
          <select id="token-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {LIFETIMES.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={create.isPending || !name.trim()}>
            {create.isPending ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>
      {create.isError && <Alert>{errorMessage(create.error)}</Alert>}
      {revoke.isError && <Alert>{errorMessage(revoke.error)}</Alert>}
      {tokens.isPending && <Spinner label="Loading your tokens…" />}
      {tokens.isError && <Alert>{errorMessage(tokens.error)}</Alert>}
      {tokens.data && tokens.data.items.length === 0 && <p className="muted">No tokens yet.</p>}
      {tokens.data && tokens.data.items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Your API tokens">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((token) => (
                <TokenRow key={token.id} token={token} onRevoke={setRevoking} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSettled: () => setRevoking(null) })}
      >
        Scripts using “{revoking?.name}” are refused from their next request on.
      </ConfirmDialog>
    </section>
  );
}
