import type { ReactNode } from "react";

/** A message box; errors are announced to screen readers as they appear. */
export function Alert({ tone = "error", children, title }: { tone?: "error" | "info" | "success" | "warning"; title?: string; children: ReactNode }) {
  return (
    <div className={`alert alert--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title && <strong className="alert__title">{title}</strong>}
      <div>{children}</div>
    </div>
  );
}
