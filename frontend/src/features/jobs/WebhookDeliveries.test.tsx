import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { WebhookDelivery } from "../../api/types";
import { WebhookDeliveries } from "./WebhookDeliveries";

const delivery: WebhookDelivery = {
  id: "msg_abc",
  status: "pending",
  attempts: 1,
  last_attempt_at: "2026-01-02T10:00:00Z",
  last_status_code: 500,
  last_error: "answered 500: boom",
  next_attempt_at: "2026-01-02T10:00:30Z",
  delivered_at: null,
};

describe("WebhookDeliveries", () => {
  it("shows a retrying delivery with its last answer and next try", () => {
    render(<WebhookDeliveries url="https://hooks.example.com/x" deliveries={[delivery]} />);
    expect(screen.getByText("https://hooks.example.com/x")).toBeInTheDocument();
    const item = screen.getByRole("listitem");
    expect(item).toHaveTextContent("Retrying");
    expect(item).toHaveTextContent("1 attempt, the last");
    expect(item).toHaveTextContent("answered 500");
    expect(item).toHaveTextContent("next try");
    expect(item).toHaveTextContent("msg_abc");
  });

  it("shows a delivered message and one not sent yet", () => {
    const { rerender } = render(
      <WebhookDeliveries
        url="https://h.example.com"
        deliveries={[{ ...delivery, status: "delivered", attempts: 2, last_status_code: 204, last_error: null, next_attempt_at: null }]}
      />,
    );
    expect(screen.getByRole("listitem")).toHaveTextContent("Delivered");
    expect(screen.getByRole("listitem")).toHaveTextContent("2 attempts");
    expect(screen.getByRole("listitem")).not.toHaveTextContent("next try");
    rerender(<WebhookDeliveries url="https://h.example.com" deliveries={[]} />);
    expect(screen.getByText("Told when the job ends.")).toBeInTheDocument();
  });
});
