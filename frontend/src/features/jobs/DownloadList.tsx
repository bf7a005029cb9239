import type { ResultFile } from "../../api/types";
import { downloadUrl } from "../../lib/files";
import { formatBytes } from "../../lib/format";

/** Every result file as a download link, with its size. */
export function DownloadList({ files, title = "Files" }: { files: ResultFile[]; title?: string }) {
  if (files.length === 0) return null;
  return (
    <details className="downloads">
      <summary>
        {title} <span className="muted">({files.length})</span>
      </summary>
      <ul className="downloads__list">
        {files.map((file) => (
          <li key={file.name}>
            <a href={downloadUrl(file.url)} download={file.name} className="downloads__link">
              <span className="downloads__icon" aria-hidden="true">
                ↓
              </span>
              <span className="downloads__name">{file.name}</span>
            </a>
            <span className="muted downloads__size">{formatBytes(file.bytes)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
