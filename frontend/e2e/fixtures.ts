import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.resolve(here, "..", "..", "screenshots");
export const PASSWORD = "Walk-the-floor-42";

export const WIDTHS = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** A unique, valid address per call so that runs never collide with each other. */
export function uniqueEmail(tag: string): string {
  return `e2e-${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

// ---- A PNG made in the test: a sky/floor gradient with a box, so depth has something to see. ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function makePng(width = 160, height = 120): Buffer {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0;
    for (let x = 0; x < width; x++) {
      const o = y * row + 1 + x * 3;
      const inBox = x > width * 0.35 && x < width * 0.65 && y > height * 0.4 && y < height * 0.85;
      const floor = y > height / 2;
      raw[o] = inBox ? 200 : floor ? 90 + y : 120;
      raw[o + 1] = inBox ? 60 : floor ? 80 + (y >> 1) : 170;
      raw[o + 2] = inBox ? 50 : floor ? 60 : 230 - (y >> 1);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---- Screenshots of a page at desktop and phone width. ----

/** Serious or critical accessibility problems axe finds on the page (WCAG 2.1 A/AA rules). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/**
 * Cards of the page (`main .card`) that are not shown, or that something else covers: each is scrolled to the
 * middle of the window and `elementFromPoint` must find the card itself at its centre and at its visible corners
 * (below the sticky header).
 */
export async function hiddenCards(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const headerBottom = document.querySelector(".topbar")?.getBoundingClientRect().bottom ?? 0;
    const problems: string[] = [];
    for (const card of Array.from(document.querySelectorAll<HTMLElement>("main .card"))) {
      const name = card.querySelector("h2, h3, legend")?.textContent?.trim() || card.className;
      card.scrollIntoView({ block: "center" });
      const box = card.getBoundingClientRect();
      if (box.width < 1 || box.height < 1 || getComputedStyle(card).visibility === "hidden") {
        problems.push(`${name}: not shown`);
        continue;
      }
      const points: [number, number][] = [
        [box.left + box.width / 2, Math.min(Math.max(box.top + box.height / 2, headerBottom + 4), innerHeight - 4)],
        [box.left + 6, box.top + 6],
        [box.right - 6, box.bottom - 6],
      ];
      for (const [x, y] of points.filter(([, y]) => y > headerBottom && y < innerHeight)) {
        const hit = document.elementFromPoint(x, y);
        if (!hit || !card.contains(hit)) {
          problems.push(
            `${name}: covered at (${Math.round(x)}, ${Math.round(y)}) by ${hit ? `${hit.tagName.toLowerCase()}.${hit.getAttribute("class") ?? ""}` : "nothing"}`,
          );
        }
      }
    }
    window.scrollTo(0, 0);
    return problems;
  });
}

/** The header takes one row, its navigation shows every link (nothing cut off to scroll to), and the page does not
 * scroll sideways. */
export async function headerProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const bar = document.querySelector(".topbar__inner");
    if (!bar) return problems;
    // Items of one row overlap vertically; one starting below another's bottom sits on a row of its own.
    const boxes = Array.from(bar.children)
      .map((child) => child.getBoundingClientRect())
      .filter((box) => box.height > 0);
    if (boxes.some((box) => boxes.some((other) => other.bottom <= box.top + 1))) problems.push("the header takes more than one row");
    for (const link of Array.from(document.querySelectorAll(".nav__link"))) {
      const box = link.getBoundingClientRect();
      if (box.right > innerWidth || box.left < 0) problems.push(`"${link.textContent}" is cut off`);
    }
    if (document.documentElement.scrollWidth > innerWidth + 1) {
      // What widens the page: the deepest element whose box or content (text spilling out of a narrow box) reaches
      // past the window's right edge and, hidden, lets the page fit (a scrolling table or an SVG's viewport clip
      // their insides, so an edge alone does not tell).
      const reaches = (element: Element) => {
        const content = document.createRange();
        content.selectNodeContents(element);
        return Math.max(element.getBoundingClientRect().right, content.getBoundingClientRect().right) > innerWidth + 1;
      };
      const widens = (element: HTMLElement | SVGElement) => {
        const display = element.style.display;
        element.style.display = "none";
        const fits = document.documentElement.scrollWidth <= innerWidth + 1;
        element.style.display = display;
        return fits;
      };
      const past = Array.from(document.querySelectorAll<HTMLElement | SVGElement>("main *")).filter(reaches).reverse();
      const names = past
        .filter(widens)
        .slice(0, 3)
        .map((element) => `${element.tagName.toLowerCase()}.${element.getAttribute("class") ?? ""}`);
      problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px wide: ${names.join(", ")})`);
    }
    const nav = document.querySelector<HTMLElement>(".nav");
    if (nav && nav.scrollWidth > nav.clientWidth + 1) problems.push("the navigation scrolls sideways");
    return problems;
  });
}

/**
 * Full-page screenshots at 1366 and 390 px wide into SCREENSHOT_DIR (`<name>-desktop.png`,
 * `<name>-phone.png`), checking at each width for serious accessibility problems, hidden or covered cards and a
 * header that wraps or cuts its navigation off.
 */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300); // let layout and lazy images settle
    await page.evaluate(() =>
      Promise.all(
        Array.from(document.images)
          .filter((img) => !img.complete)
          .map(
            (img) =>
              new Promise((resolve) => {
                img.addEventListener("load", resolve, { once: true });
                img.addEventListener("error", resolve, { once: true });
              }),
          ),
      ),
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: true });
    expect.soft(await accessibilityProblems(page), `accessibility of ${name} at ${label} width`).toEqual([]);
    expect.soft(await hiddenCards(page), `every card of ${name} visible and uncovered at ${label} width`).toEqual([]);
    expect.soft(await headerProblems(page), `the header of ${name} at ${label} width`).toEqual([]);
  }
  await page.setViewportSize(WIDTHS.desktop);
}

// ---- Auth helpers through the UI. ----

export async function register(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Your jobs" })).toBeVisible();
}

export async function login(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText("You have been logged out.")).toBeVisible();
}

/** The job id from a /jobs/<id> URL. */
export function jobIdOf(page: Page): string {
  const match = /\/jobs\/([^/?#]+)/.exec(page.url());
  if (!match) throw new Error(`not on a job page: ${page.url()}`);
  return match[1];
}

/**
 * Waits until the job page says the job has finished, noting the progress values the page showed
 * on the way. Fails if the job failed. Returns the percentages seen.
 */
export async function watchJobFinish(page: Page, timeoutMs = 150_000): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await page.locator(".page-head .badge").getAttribute("data-status");
    if (status === "succeeded") return seen;
    if (status === "failed" || status === "cancelled") {
      const text = await page
        .locator(".alert")
        .first()
        .textContent()
        .catch(() => "");
      throw new Error(`job ${status}: ${text}`);
    }
    const bar = page.locator(".job-live [role=progressbar]");
    const now = await bar.getAttribute("aria-valuenow", { timeout: 200 }).catch(() => null);
    if (now !== null && seen[seen.length - 1] !== Number(now)) seen.push(Number(now));
    await page.waitForTimeout(250);
  }
  throw new Error(`job did not finish in ${timeoutMs / 1000} s (progress seen: ${seen.join(", ")})`);
}

// ---- Every test fails on console errors and uncaught exceptions, except network answers it expects. ----

interface ConsoleGuard {
  /** Let failed-resource messages for these HTTP statuses through (e.g. a deliberate wrong password). */
  allowStatus: (...statuses: number[]) => void;
}

export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  consoleGuard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      const allowed = new Set<number>();
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const text = message.text();
        const status = /status of (\d{3})/.exec(text);
        if (status && allowed.has(Number(status[1]))) return;
        problems.push(`${page.url()}: ${text}`);
      });
      page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
      // Name the failing requests too: the console only says "Failed to load resource".
      page.on("response", (response) => {
        const status = response.status();
        if (status >= 400 && !allowed.has(status) && !response.url().includes("/api/auth/")) {
          problems.push(`${response.request().method()} ${response.url()} answered ${status}`);
        }
      });
      await use({ allowStatus: (...statuses) => statuses.forEach((s) => allowed.add(s)) });
      expect(problems, "console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
