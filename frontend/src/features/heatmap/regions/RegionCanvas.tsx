import { useId, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import {
  CLOSE_RADIUS,
  addDraftPoint,
  arrowStep,
  canFinish,
  inArrow,
  labelPoint,
  nameLabel,
  moveShape,
  moveVertex,
  removeShape,
  removeVertex,
  screenToFrame,
  type Draft,
  type Frame,
  type Point,
  type Selection,
  type Shape,
} from "./editor";

interface Props {
  frame: Frame;
  /** The picture under the shapes: the background frame or the heatmap (its legend is cut off on the right). */
  imageUrl?: string;
  shapes: Shape[];
  onShapesChange: (shapes: Shape[]) => void;
  selection: Selection | null;
  onSelect: (selection: Selection | null) => void;
  /** A shape being drawn point by point, or null. */
  draft: Draft | null;
  onDraftChange: (draft: Draft | null) => void;
  /** A drawn shape is complete: its points. */
  onDraftDone: (points: Point[]) => void;
}

type Drag = { shape: number; vertex: number | null; last: Point };

/**
 * The vertex editor: zones and lines drawn over the frame in an SVG whose coordinates are frame pixels.
 * Mouse, pen and touch all arrive as pointer events: drag a vertex or a whole shape; while drawing, each
 * tap adds a point (a zone closes on its first vertex). From the keyboard, Tab reaches every shape and
 * vertex: arrows move it (Shift: 10 px), Delete removes it; Enter finishes a drawing, Escape drops it.
 */
export function RegionCanvas({ frame, imageUrl, shapes, onShapesChange, selection, onSelect, draft, onDraftChange, onDraftDone }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const arrowId = useId();
  const scale = frame.width / Math.max(1, svgRef.current?.getBoundingClientRect().width ?? frame.width); // frame px per screen px
  const coarse = typeof window.matchMedia === "function" && window.matchMedia("(pointer: coarse)").matches;
  const handle = (coarse ? 12 : 7) * scale; // a fingertip needs a bigger target than a mouse
  const stroke = 2 * scale;

  const toFrame = (event: PointerEvent): Point => {
    const box = svgRef.current!.getBoundingClientRect();
    return screenToFrame(event.clientX, event.clientY, box, frame);
  };

  const startDrag = (event: PointerEvent, shape: number, vertex: number | null) => {
    if (draft) return; // taps while drawing add points (handled by the svg)
    event.stopPropagation();
    (event.currentTarget as Element).setPointerCapture?.(event.pointerId);
    onSelect({ shape, vertex });
    setDrag({ shape, vertex, last: toFrame(event) });
  };

  const onPointerMove = (event: PointerEvent) => {
    if (!drag) return;
    const point = toFrame(event);
    onShapesChange(
      drag.vertex === null
        ? moveShape(shapes, drag.shape, point[0] - drag.last[0], point[1] - drag.last[1], frame)
        : moveVertex(shapes, drag.shape, drag.vertex, point, frame),
    );
    setDrag({ ...drag, last: point });
  };

  const onBackgroundDown = (event: PointerEvent) => {
    if (!draft) {
      onSelect(null);
      return;
    }
    const step = addDraftPoint(draft, toFrame(event), CLOSE_RADIUS * scale);
    if (step.done) onDraftDone(step.shape);
    else onDraftChange(step.draft);
  };

  const onKeyDown = (event: KeyboardEvent, shape: number, vertex: number | null) => {
    const step = arrowStep(event.key, event.shiftKey);
    if (step) {
      event.preventDefault();
      const target = shapes[shape].points[vertex ?? 0];
      onShapesChange(
        vertex === null
          ? moveShape(shapes, shape, step[0], step[1], frame)
          : moveVertex(shapes, shape, vertex, [target[0] + step[0], target[1] + step[1]], frame),
      );
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      onShapesChange(vertex === null ? removeShape(shapes, shape) : removeVertex(shapes, shape, vertex));
      onSelect(null);
    }
  };

  const onSvgKeyDown = (event: KeyboardEvent) => {
    if (!draft) return;
    if (event.key === "Escape") onDraftChange(null);
    if (event.key === "Enter" && canFinish(draft)) onDraftDone(draft.points);
  };

  return (
    <svg
      ref={svgRef}
      className={`region-canvas${draft ? " region-canvas--drawing" : ""}`}
      // As wide as fits 70 % of the window's height: the element keeps the frame's aspect, so pointer positions
      // map straight to frame pixels (a letterboxed picture inside a wider box would not).
      style={{ width: `min(100%, calc(70vh * ${frame.width / frame.height}))` }}
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      role="group"
      aria-label={
        draft ? `Drawing a ${draft.kind}: tap to add points${draft.kind === "zone" ? ", tap the first point or press Enter to close" : ""}` : "Zones and lines"
      }
      tabIndex={draft ? 0 : -1}
      onPointerDown={onBackgroundDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => setDrag(null)}
      onPointerCancel={() => setDrag(null)}
      onKeyDown={onSvgKeyDown}
      data-testid="region-canvas"
    >
      <defs>
        <marker
          id={arrowId}
          viewBox="0 0 10 10"
          refX="2"
          refY="5"
          markerUnits="userSpaceOnUse"
          markerWidth={16 * scale}
          markerHeight={16 * scale}
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" className="region-canvas__arrowhead" />
        </marker>
      </defs>
      {imageUrl ? (
        <image href={imageUrl} x={0} y={0} height={frame.height} width={frame.width * 3} preserveAspectRatio="xMinYMin meet" />
      ) : (
        <rect width={frame.width} height={frame.height} className="region-canvas__blank" />
      )}
      {shapes.map((shape, index) => {
        const selected = selection?.shape === index;
        const points = shape.points.map((p) => p.join(",")).join(" ");
        const name = nameLabel(shape.kind === "zone" ? labelPoint(shape.points) : shape.points[0], frame, 14 * scale, handle * 1.5);
        const arrow = shape.kind === "line" ? inArrow(shape.points, 44 * scale) : null;
        const label = `${shape.kind === "zone" ? "Zone" : "Line"} ${shape.name}`;
        return (
          <g key={index} className={`region region--${shape.kind}${selected ? " region--selected" : ""}`}>
            {shape.kind === "zone" ? (
              <polygon
                points={points}
                strokeWidth={stroke}
                tabIndex={0}
                role="button"
                aria-label={`${label}: arrows move it, Delete removes it`}
                onPointerDown={(e) => startDrag(e, index, null)}
                onKeyDown={(e) => onKeyDown(e, index, null)}
                onFocus={() => onSelect({ shape: index, vertex: null })}
              />
            ) : (
              <polyline
                points={points}
                strokeWidth={stroke * 2}
                tabIndex={0}
                role="button"
                aria-label={`${label}: arrows move it, Delete removes it`}
                onPointerDown={(e) => startDrag(e, index, null)}
                onKeyDown={(e) => onKeyDown(e, index, null)}
                onFocus={() => onSelect({ shape: index, vertex: null })}
              />
            )}
            {arrow && (
              <g className="region__arrow" aria-hidden="true">
                <line x1={arrow.from[0]} y1={arrow.from[1]} x2={arrow.to[0]} y2={arrow.to[1]} strokeWidth={stroke * 2.5} className="region__arrow-shadow" />
                <line x1={arrow.from[0]} y1={arrow.from[1]} x2={arrow.to[0]} y2={arrow.to[1]} strokeWidth={stroke * 1.5} markerEnd={`url(#${arrowId})`} />
                <text
                  x={arrow.to[0] + (arrow.to[0] - arrow.from[0]) * 0.55}
                  y={arrow.to[1] + (arrow.to[1] - arrow.from[1]) * 0.55 + 4 * scale}
                  fontSize={12 * scale}
                  textAnchor="middle"
                  className="region__name"
                >
                  in
                </text>
              </g>
            )}
            <text x={name.x} y={name.y} fontSize={14 * scale} className="region__name" textAnchor={name.anchor}>
              {shape.name}
            </text>
            {shape.points.map(([x, y], vertex) => (
              <circle
                key={vertex}
                cx={x}
                cy={y}
                r={handle}
                strokeWidth={stroke}
                className={`region__vertex${selected && selection?.vertex === vertex ? " region__vertex--selected" : ""}`}
                tabIndex={0}
                role="button"
                aria-label={`${label}, point ${vertex + 1} at ${Math.round(x)}, ${Math.round(y)}: arrows move it${shape.kind === "zone" ? ", Delete removes it" : ""}`}
                onPointerDown={(e) => startDrag(e, index, vertex)}
                onKeyDown={(e) => onKeyDown(e, index, vertex)}
                onFocus={() => onSelect({ shape: index, vertex })}
              />
            ))}
          </g>
        );
      })}
      {draft && draft.points.length > 0 && (
        <g className="region region--draft">
          <polyline points={draft.points.map((p) => p.join(",")).join(" ")} strokeWidth={stroke} />
          {draft.points.map(([x, y], i) => (
            <circle key={i} cx={x} cy={y} r={handle} strokeWidth={stroke} className="region__vertex" />
          ))}
        </g>
      )}
    </svg>
  );
}
