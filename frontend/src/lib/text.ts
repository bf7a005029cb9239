/** First letter upper-case: server messages are often written lower-case. */
export function capitalize(text: string): string {
  const trimmed = text.trim();
  return trimmed ? trimmed[0].toUpperCase() + trimmed.slice(1) : trimmed;
}
