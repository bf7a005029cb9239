import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { ApiTokens } from "./ApiTokens";
import { WebhookSecret } from "./WebhookSecret";

/** Account settings: API tokens for scripts, the secret webhooks are signed with. */
export function SettingsPage() {
  useDocumentTitle("Settings");
  return (
    <div className="page page--narrow">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="muted">Access for scripts and integrations.</p>
        </div>
      </div>
      <div className="settings-cards">
        <ApiTokens />
        <WebhookSecret />
      </div>
    </div>
  );
}
