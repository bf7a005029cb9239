/** Why `text` cannot be a job's webhook (an absolute http:// or https:// URL), or undefined when it can or is blank. */
export function webhookUrlProblem(text: string): string | undefined {
  const value = text.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a whole URL, starting with https:// or http://.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Only an http:// or https:// URL can be told.";
  return undefined;
}
