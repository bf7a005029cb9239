import { formatBytes } from "../../lib/format";

interface Props {
  files: File[];
  disabled?: boolean;
  onRemove: (index: number) => void;
}

/** The files about to be uploaded, each removable, with the total size. */
export function SelectedFiles({ files, disabled, onRemove }: Props) {
  if (files.length === 0) return null;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  return (
    <div className="selected-files">
      <p className="selected-files__summary">
        {files.length === 1 ? "1 file" : `${files.length} files`} · {formatBytes(total)}
      </p>
      <ul className="selected-files__list">
        {files.map((file, index) => (
          <li key={`${file.name}-${index}`} className="selected-files__item">
            <span className="selected-files__name" title={file.name}>
              {file.name}
            </span>
            <span className="muted">{formatBytes(file.size)}</span>
            <button type="button" className="icon-button" onClick={() => onRemove(index)} disabled={disabled} aria-label={`Remove ${file.name}`}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
