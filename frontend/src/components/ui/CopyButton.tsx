import { useState } from "react";

/** Copies `text` to the clipboard and says so; a blocked clipboard leaves the text to select by hand. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(text);
    } catch {
      setCopied(null);
    }
  };
  return (
    <button type="button" className="button button--secondary button--small" onClick={copy}>
      {copied === text ? "Copied" : label}
    </button>
  );
}
