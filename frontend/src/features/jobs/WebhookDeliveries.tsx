import type { WebhookDelivery } from "../../api/types";
import { formatDateTime } from "../../lib/format";

const STATUS_TEXT: Record<WebhookDelivery["status"], string> = {
  pending: "Retrying",
  delivered: "Delivered",
  failed: "Gave up",
};

function lastAttempt(delivery: WebhookDelivery): string {
  if (delivery.attempts === 0) return "not sent yet";
  const answer = delivery.last_status_code !== null ? `answered ${delivery.last_status_code}` : (delivery.last_error ?? "no answer");
  return `${delivery.attempts} ${delivery.attempts === 1 ? "attempt" : "attempts"}, the last ${formatDateTime(delivery.last_attempt_at)}: ${answer}`;
}

/** Where the job's webhook goes, and how each message to it fared (the page updates live as retries happen). */
export function WebhookDeliveries({ url, deliveries }: { url: string; deliveries: WebhookDelivery[] }) {
  return (
    <div className="webhook-deliveries">
      <h3 className="section-title">Webhook</h3>
      <p className="muted small">
        <code>{url}</code>
      </p>
      {deliveries.length === 0 ? (
        <p className="muted">Told when the job ends.</p>
      ) : (
        <ul className="plain-list">
          {deliveries.map((delivery) => (
            <li key={delivery.id}>
              <strong>{STATUS_TEXT[delivery.status]}</strong> <span className="muted small">({delivery.id})</span> — {lastAttempt(delivery)}
              {delivery.status === "pending" && delivery.next_attempt_at && <> · next try {formatDateTime(delivery.next_attempt_at)}</>}
              {delivery.last_error && delivery.last_status_code !== null && <p className="field-error">{delivery.last_error}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
