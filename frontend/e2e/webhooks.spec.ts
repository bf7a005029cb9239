import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, makePng, register, snap, test, uniqueEmail, watchJobFinish } from "./fixtures";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on a loopback port (the stack runs with WEBHOOK_ALLOW_PRIVATE=true): keeps each POST, answers 204. */
async function startReceiver() {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/scenelab`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Whether `message` carries a Standard Webhooks signature made with `secret` (`whsec_<base64 key>`). */
function signedWith({ headers, body }: Received, secret: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`).digest("base64");
  return String(headers["webhook-signature"])
    .split(" ")
    .some((signature) => signature === `v1,${expected}`);
}

test("webhooks: an upload tells a URL when its job ends, and Settings shows, copies and rotates the secret it is signed with", async ({ page }) => {
  const receiver = await startReceiver();
  try {
    await register(page, uniqueEmail("webhooks"));
    await page.goto("/new/depth");
    await page.getByTestId("file-input").setInputFiles({ name: "yard.png", mimeType: "image/png", buffer: makePng(160, 120) });
    await page.getByText("Notify a URL when done").click();
    const field = page.getByLabel("Webhook URL");
    await field.fill("ftp://example.com/hook");
    await expect(page.getByText("Only an http:// or https:// URL can be told.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Upload and start" })).toBeDisabled();
    await field.fill(receiver.url);
    await expect(page.getByRole("button", { name: "Upload and start" })).toBeEnabled();
    await snap(page, "webhook-upload");
    await page.getByRole("button", { name: "Upload and start" }).click();

    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]+$/);
    await watchJobFinish(page);
    const deliveries = page.locator(".webhook-deliveries");
    await expect(deliveries.getByText(receiver.url)).toBeVisible();
    await expect(deliveries.getByRole("listitem")).toContainText("Delivered", { timeout: 60_000 });
    await expect(deliveries.getByRole("listitem")).toContainText("answered 204");
    expect(receiver.received).toHaveLength(1);
    const message = receiver.received[0];
    expect(JSON.parse(message.body)).toMatchObject({ type: "job.finished", data: { status: "succeeded", webhook_url: receiver.url } });
    await snap(page, "webhook-job");

    await page.getByRole("link", { name: "Settings" }).click();
    await expect(page.getByLabel("Webhook secret (hidden)")).toHaveValue(/^whsec_•+$/);
    await page.getByRole("button", { name: "Show" }).click();
    const secretField = page.getByLabel("Webhook secret", { exact: true });
    await expect(secretField).toHaveValue(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    const secret = await secretField.inputValue();
    expect(signedWith(message, secret), "the message is signed with the secret Settings shows").toBe(true);

    await page.getByRole("button", { name: "Rotate" }).click();
    await expect(page.getByRole("alertdialog")).toContainText("refuse every message from now on");
    await page.getByRole("alertdialog").getByRole("button", { name: "Rotate secret" }).click();
    await expect(page.getByText("Secret rotated")).toBeVisible();
    await expect(secretField).not.toHaveValue(secret);
    const rotated = await secretField.inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(signedWith(message, rotated)).toBe(false);
    await snap(page, "settings-webhook");
  } finally {
    await receiver.close();
  }
});
