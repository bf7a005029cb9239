/** Where to go after logging in: only same-site paths, never back to the auth pages. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (/^\/(login|register)(\/|\?|$)/.test(next)) return "/";
  return next;
}
