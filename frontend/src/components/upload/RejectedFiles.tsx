import type { FileCheck } from "../../lib/files";

/** Files that were dropped or picked but can't be uploaded here, and why. */
export function RejectedFiles({ rejected }: { rejected: FileCheck["rejected"] }) {
  if (rejected.length === 0) return null;
  return (
    <div className="alert alert--warning" role="alert">
      <strong className="alert__title">{rejected.length === 1 ? "One file was left out" : `${rejected.length} files were left out`}</strong>
      <ul className="plain-list">
        {rejected.map(({ file, reason }, i) => (
          <li key={`${file.name}-${i}`}>
            {file.name}: {reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
