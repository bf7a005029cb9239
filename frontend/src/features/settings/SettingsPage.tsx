import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { ApiTokens } from "./ApiTokens";

/** Account settings: API tokens for scripts. */
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
      <ApiTokens />
    </div>
  );
}
