import { useId, useRef, useState, type DragEvent } from "react";
import { acceptAttribute } from "../../lib/files";

interface Props {
  extensions: readonly string[];
  multiple?: boolean;
  disabled?: boolean;
  /** What to drop, e.g. "a video" or "images or ZIPs". */
  what: string;
  onFiles: (files: File[]) => void;
}

/** Drop files here, or press the button to pick them (Enter/Space work, it's a real button). */
export function FileDropZone({ extensions, multiple = false, disabled = false, what, onFiles }: Props) {
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes("Files");

  const onDragEnter = (event: DragEvent) => {
    if (disabled || !hasFiles(event)) return;
    event.preventDefault();
    depth.current += 1;
    setDragging(true);
  };
  const onDragOver = (event: DragEvent) => {
    if (disabled || !hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    if (disabled) return;
    const files = Array.from(event.dataTransfer.files);
    if (files.length) onFiles(multiple ? files : files.slice(0, 1));
  };

  return (
    <div
      className={`dropzone${dragging ? " dropzone--active" : ""}${disabled ? " dropzone--disabled" : ""}`}
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      data-testid="dropzone"
    >
      <div className="dropzone__icon" aria-hidden="true">
        ⇪
      </div>
      <p className="dropzone__title">{dragging ? "Drop to add" : `Drag ${what} here`}</p>
      <p className="dropzone__or">or</p>
      <button type="button" className="button button--secondary" onClick={() => inputRef.current?.click()} disabled={disabled} aria-describedby={hintId}>
        Choose {multiple ? "files" : "a file"}
      </button>
      <p id={hintId} className="dropzone__hint">
        {extensions
          .filter((e) => e !== "tif")
          .map((e) => e.toUpperCase())
          .join(", ")}
      </p>
      <input
        ref={inputRef}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        accept={acceptAttribute(extensions)}
        multiple={multiple}
        disabled={disabled}
        data-testid="file-input"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = "";
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}
