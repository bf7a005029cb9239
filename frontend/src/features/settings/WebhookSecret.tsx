import { useState } from "react";
import { errorMessage } from "../../api/client";
import { Alert } from "../../components/ui/Alert";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { CopyButton } from "../../components/ui/CopyButton";
import { Spinner } from "../../components/ui/Spinner";
import { useRotateWebhookSecret, useWebhookSecret } from "./useWebhookSecret";

/** A receiver that checks each message, as the README's "Webhooks" section has it. */
const RECEIVER = `import os
from flask import Flask, request
from standardwebhooks import Webhook

app = Flask(__name__)
hook = Webhook(os.environ["SCENELAB_WEBHOOK_SECRET"])  # whsec_…

@app.post("/scenelab")
def job_finished():
    # raises unless signed with your secret; dedupe on the webhook-id header
    message = hook.verify(request.get_data(), dict(request.headers))
    print(message["data"]["id"], message["data"]["status"])
    return "", 204`;

const HIDDEN = `whsec_${"•".repeat(24)}`;

/** The secret a user's webhooks are signed with: hidden until asked for, copyable, rotatable. */
export function WebhookSecret() {
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState(false);
  const secret = useWebhookSecret(shown);
  const rotate = useRotateWebhookSecret();
  const value = shown ? secret.data?.secret : undefined;

  const onRotate = () =>
    rotate.mutate(undefined, {
      onSuccess: () => {
        setShown(true);
        setRotated(true);
      },
      onSettled: () => setConfirming(false),
    });

  return (
    <section className="card" aria-labelledby="webhook-title">
      <h2 id="webhook-title" className="section-title">
        Webhook signing secret
      </h2>
      <p className="muted">
        A job uploaded with a webhook URL tells it when it ends, signed with this secret per{" "}
        <a href="https://www.standardwebhooks.com" target="_blank" rel="noreferrer">
          Standard Webhooks
        </a>
        : a receiver that checks the signature knows the message is SceneLab's.
      </p>
      {rotated && (
        <Alert tone="success" title="Secret rotated">
          Every message from now on, retries included, is signed with the new secret: give it to your receivers.
        </Alert>
      )}
      <div className="secret-row">
        <input
          className="token-value"
          readOnly
          value={value ?? HIDDEN}
          aria-label={value ? "Webhook secret" : "Webhook secret (hidden)"}
          onFocus={(e) => e.currentTarget.select()}
        />
        {shown ? (
          <button type="button" className="button button--ghost button--small" onClick={() => setShown(false)}>
            Hide
          </button>
        ) : (
          <button type="button" className="button button--secondary button--small" onClick={() => setShown(true)}>
            Show
          </button>
        )}
        {value && <CopyButton text={value} />}
        <button type="button" className="button button--danger-ghost button--small" onClick={() => setConfirming(true)}>
          Rotate
        </button>
      </div>
      {shown && secret.isPending && <Spinner label="Loading your secret…" />}
      {secret.isError && <Alert>{errorMessage(secret.error)}</Alert>}
      {rotate.isError && <Alert>{errorMessage(rotate.error)}</Alert>}

      <h3 className="section-title">Checking a message</h3>
      <p className="muted small">
        A receiver in Python (<code>pip install standardwebhooks flask</code>); the README&apos;s “Webhooks” section and <code>docs/API.md</code> (Webhooks) say
        what each header holds.
      </p>
      <pre className="receiver-code" tabIndex={0} role="region" aria-label="A webhook receiver in Python">
        <code>{RECEIVER}</code>
      </pre>

      <ConfirmDialog
        open={confirming}
        title="Rotate the webhook secret?"
        confirmLabel="Rotate secret"
        danger
        busy={rotate.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={onRotate}
      >
        Receivers that check with the current secret refuse every message from now on, retries of earlier ones included, until they have the new one.
      </ConfirmDialog>
    </section>
  );
}
