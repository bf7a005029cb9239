import type { Response } from "@playwright/test";
import { expect, logout, PASSWORD, register, snap, test, uniqueEmail } from "./fixtures";

test("accounts: protected pages send visitors to log in and back, with clear messages", async ({ page, consoleGuard }) => {
  // Deliberate failures below: weak password (422), taken email (409), wrong password (401).
  consoleGuard.allowStatus(401, 409, 422);
  const email = uniqueEmail("auth");

  await page.goto("/new/depth");
  await expect(page).toHaveURL(/\/login\?next=%2Fnew%2Fdepth$/);
  await expect(page.getByText("Please log in to continue.")).toBeVisible();
  await snap(page, "login");

  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/register\?next=%2Fnew%2Fdepth$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert")).toContainText(/password/i);
  await snap(page, "register-weak-password");

  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // Back where the visitor was going, logged in.
  await expect(page).toHaveURL(/\/new\/depth$/);
  await expect(page.getByText(email)).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText("You have been logged out.")).toBeVisible();
  // The session cookie is gone: the API refuses and the SPA keeps the visitor out.
  expect((await page.request.get("/api/auth/me")).status()).toBe(401);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);

  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert")).toHaveText("An account with this email already exists. Log in instead, or use another email.");

  await page.getByRole("link", { name: "Log in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password-1");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");
  await snap(page, "login-wrong-password");

  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Your jobs" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No jobs yet" })).toBeVisible();
  await snap(page, "history-empty");

  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await snap(page, "not-found");
});

test("accounts: after too many wrong passwords the server says how long to wait, and the page says it too", async ({ page, consoleGuard }) => {
  consoleGuard.allowStatus(401, 429);
  const email = uniqueEmail("locked");
  await register(page, email);
  await logout(page);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password-1");
  let refusal: Response | undefined;
  for (let attempt = 0; attempt < 100 && !refusal; attempt++) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/auth/login")),
      page.getByRole("button", { name: "Log in" }).click(),
    ]);
    expect([401, 429]).toContain(response.status());
    if (response.status() === 429) refusal = response;
  }
  expect(refusal, "no 429 after 100 wrong passwords").toBeDefined();
  const wait = refusal!.headers()["retry-after"];
  expect(wait).toMatch(/^\d+$/);
  await expect(page.getByRole("alert")).toHaveText(`Too many attempts. Please wait and try again in ${wait} seconds.`);
  await snap(page, "login-locked");
});
