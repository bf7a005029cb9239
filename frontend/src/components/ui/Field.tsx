import type { ReactNode } from "react";

interface Props {
  /** The control's id; the hint gets `${id}-hint` (pass it as the control's aria-describedby). */
  id: string;
  label: ReactNode;
  /** A live value shown beside the label (e.g. a slider's percentage), outside the accessible name. */
  value?: ReactNode;
  hint?: ReactNode;
  /** Shown instead of the hint, in red. */
  error?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}

/** A labelled form control with an optional hint or error, kept out of the control's name. */
export function Field({ id, label, value, hint, error, wide, children }: Props) {
  return (
    <div className={`field${wide ? " field--wide" : ""}`}>
      <div className="field__label">
        <label htmlFor={id}>{label}</label>
        {value !== undefined && <output htmlFor={id}>{value}</output>}
      </div>
      {children}
      {(error || hint) && (
        <span id={`${id}-hint`} className={error ? "field-error" : "field__hint"}>
          {error || hint}
        </span>
      )}
    </div>
  );
}
