import type { JobKind } from "../../api/types";
import { describeParams } from "../../lib/optionText";

/** The processing options the job ran with (after the server applied its defaults), in the forms' words. */
export function JobParams({ kind, params }: { kind: JobKind; params: Record<string, unknown> }) {
  const entries = describeParams(kind, params);
  if (entries.length === 0) return null;
  return (
    <dl className="params">
      {entries.map(({ label, value }) => (
        <div key={label} className="params__item">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
