import { useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";

interface Props {
  beforeSrc: string;
  beforeAlt: string;
  afterSrc: string;
  afterAlt: string;
  /** Accessible name of the handle. */
  label?: string;
  /** Starting position, 0–100 (share of the width that shows the "before" image). */
  initial?: number;
  beforeLabel?: string;
  afterLabel?: string;
}

const clamp = (value: number) => Math.min(100, Math.max(0, value));

/**
 * Two images of the same scene on top of each other; a handle reveals "before" on its left and "after"
 * on its right. Drag anywhere on the picture, or focus the handle and use the arrow keys (Shift for
 * bigger steps), Page Up/Down, Home and End.
 */
export function BeforeAfterSlider({
  beforeSrc,
  beforeAlt,
  afterSrc,
  afterAlt,
  label = "Compare before and after",
  initial = 50,
  beforeLabel = "Input",
  afterLabel = "Depth",
}: Props) {
  const [position, setPosition] = useState(clamp(initial));
  const [ratio, setRatio] = useState<number | null>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const handleRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  const moveTo = useCallback((clientX: number) => {
    const rect = frameRef.current?.getBoundingClientRect();
    if (!rect || rect.width <= 0) return;
    setPosition(clamp(((clientX - rect.left) / rect.width) * 100));
  }, []);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    dragging.current = true;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    moveTo(event.clientX);
    handleRef.current?.focus({ preventScroll: true });
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) moveTo(event.clientX);
  };
  const endDrag = (event: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    event.currentTarget.releasePointerCapture?.(event.pointerId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 10 : 2;
    const next: Record<string, number> = {
      ArrowLeft: position - step,
      ArrowDown: position - step,
      ArrowRight: position + step,
      ArrowUp: position + step,
      PageDown: position - 10,
      PageUp: position + 10,
      Home: 0,
      End: 100,
    };
    if (event.key in next) {
      event.preventDefault();
      setPosition(clamp(next[event.key]));
    }
  };

  const rounded = Math.round(position);

  return (
    <div
      ref={frameRef}
      className="compare"
      style={ratio ? { aspectRatio: String(ratio) } : undefined}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      data-testid="before-after"
    >
      <img
        className="compare__image"
        src={beforeSrc}
        alt={beforeAlt}
        draggable={false}
        onLoad={(event) => {
          const img = event.currentTarget;
          if (img.naturalWidth && img.naturalHeight) setRatio(img.naturalWidth / img.naturalHeight);
        }}
      />
      <img
        className="compare__image compare__image--after"
        src={afterSrc}
        alt={afterAlt}
        draggable={false}
        style={{ clipPath: `inset(0 0 0 ${position}%)` }}
        data-testid="after-image"
      />
      <span className="compare__tag compare__tag--before" aria-hidden="true" style={{ opacity: position > 12 ? 1 : 0 }}>
        {beforeLabel}
      </span>
      <span className="compare__tag compare__tag--after" aria-hidden="true" style={{ opacity: position < 88 ? 1 : 0 }}>
        {afterLabel}
      </span>
      <div className="compare__divider" style={{ left: `${position}%` }} aria-hidden="true" />
      <div
        ref={handleRef}
        className="compare__handle"
        style={{ left: `${position}%` }}
        role="slider"
        tabIndex={0}
        aria-label={label}
        aria-orientation="horizontal"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={rounded}
        aria-valuetext={`${rounded}% ${beforeLabel.toLowerCase()}, ${100 - rounded}% ${afterLabel.toLowerCase()}`}
        onKeyDown={onKeyDown}
      >
        <span aria-hidden="true">‹ ›</span>
      </div>
    </div>
  );
}
