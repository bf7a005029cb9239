import { useState } from "react";
import { Link } from "react-router";
import { webhookUrlProblem } from "../../lib/webhookUrl";
import { Field } from "../ui/Field";

/** The server's limit on a webhook URL's length (docs/API.md, Webhooks). */
const MAX_LENGTH = 2048;

/** An upload's optional webhook, behind a disclosure: a URL told when the job ends (the form field `webhook_url`). */
export function WebhookField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const problem = webhookUrlProblem(value);
  const [open, setOpen] = useState(value !== "");
  return (
    <details className="disclosure" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Notify a URL when done</summary>
      <Field
        id="webhook-url"
        label="Webhook URL"
        error={problem}
        hint={
          <>
            When the job ends, SceneLab POSTs a signed <code>job.finished</code> message there, retried for up to an hour. Verify it with your webhook secret (
            <Link to="/settings">Settings</Link>).
          </>
        }
      >
        <input
          id="webhook-url"
          type="url"
          inputMode="url"
          maxLength={MAX_LENGTH}
          placeholder="https://example.com/hooks/scenelab"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby="webhook-url-hint"
        />
      </Field>
    </details>
  );
}
