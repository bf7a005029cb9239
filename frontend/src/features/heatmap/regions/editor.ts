// The footfall region editor's state and every change to it, as pure functions (the component only routes
// pointer and key events here). Coordinates are frame pixels, origin top-left, y down, as the API takes them.

import type { Regions, RegionsAnalysis } from "../../../api/types";

export type Point = [number, number];
export type ShapeKind = "zone" | "line";

export interface Shape {
  kind: ShapeKind;
  name: string;
  points: Point[];
}

export interface Frame {
  width: number;
  height: number;
}

/** What is selected: a whole shape, or one of its vertices. */
export interface Selection {
  shape: number;
  vertex: number | null;
}

export const MAX_SHAPES = 20;
export const MAX_VERTICES = 64;
export const MAX_NAME = 64;
/** A click this close (frame pixels per screen pixel times this) to the first vertex closes a polygon. */
export const CLOSE_RADIUS = 12;

const round = (value: number) => Math.round(value * 10) / 10;

export function clampPoint([x, y]: Point, frame: Frame): Point {
  return [round(Math.min(Math.max(x, 0), frame.width)), round(Math.min(Math.max(y, 0), frame.height))];
}

/** A screen position inside the drawn frame's bounding box, in frame pixels (clamped to the frame). */
export function screenToFrame(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }, frame: Frame): Point {
  return clampPoint([((clientX - box.left) / box.width) * frame.width, ((clientY - box.top) / box.height) * frame.height], frame);
}

/** "Zone 1", "Zone 2"…: the first such name no shape has. */
export function nextName(shapes: Shape[], kind: ShapeKind): string {
  const base = kind === "zone" ? "Zone" : "Line";
  const taken = new Set(shapes.map((s) => s.name));
  for (let n = 1; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** A new shape in the middle of the frame: a square a third of its height, or a horizontal line. */
export function defaultShape(shapes: Shape[], kind: ShapeKind, frame: Frame): Shape {
  const cx = frame.width / 2;
  const cy = frame.height / 2;
  const r = frame.height / 6;
  const points: Point[] =
    kind === "zone"
      ? [
          [cx - r, cy - r],
          [cx + r, cy - r],
          [cx + r, cy + r],
          [cx - r, cy + r],
        ]
      : [
          [cx - 2 * r, cy],
          [cx + 2 * r, cy],
        ];
  return { kind, name: nextName(shapes, kind), points: points.map((p) => clampPoint(p, frame)) };
}

export function addShape(shapes: Shape[], shape: Shape): Shape[] {
  return [...shapes, shape];
}

export function removeShape(shapes: Shape[], index: number): Shape[] {
  return shapes.filter((_, i) => i !== index);
}

export function renameShape(shapes: Shape[], index: number, name: string): Shape[] {
  return shapes.map((s, i) => (i === index ? { ...s, name } : s));
}

export function moveVertex(shapes: Shape[], index: number, vertex: number, to: Point, frame: Frame): Shape[] {
  return shapes.map((s, i) => (i === index ? { ...s, points: s.points.map((p, v) => (v === vertex ? clampPoint(to, frame) : p)) } : s));
}

/** The shape moved by (dx, dy), stopped at the frame's edges as a whole (its form never changes). */
export function moveShape(shapes: Shape[], index: number, dx: number, dy: number, frame: Frame): Shape[] {
  return shapes.map((s, i) => {
    if (i !== index) return s;
    const xs = s.points.map((p) => p[0]);
    const ys = s.points.map((p) => p[1]);
    const sx = Math.min(Math.max(dx, -Math.min(...xs)), frame.width - Math.max(...xs));
    const sy = Math.min(Math.max(dy, -Math.min(...ys)), frame.height - Math.max(...ys));
    return { ...s, points: s.points.map(([x, y]) => clampPoint([x + sx, y + sy], frame)) };
  });
}

/** A zone loses a vertex (never below 3); a line keeps both of its points. */
export function removeVertex(shapes: Shape[], index: number, vertex: number): Shape[] {
  return shapes.map((s, i) => (i === index && s.kind === "zone" && s.points.length > 3 ? { ...s, points: s.points.filter((_, v) => v !== vertex) } : s));
}

/** A zone gains a vertex in the middle of the edge after `vertex` (up to MAX_VERTICES). */
export function insertVertex(shapes: Shape[], index: number, vertex: number): Shape[] {
  return shapes.map((s, i) => {
    if (i !== index || s.kind !== "zone" || s.points.length >= MAX_VERTICES) return s;
    const a = s.points[vertex];
    const b = s.points[(vertex + 1) % s.points.length];
    const middle: Point = [round((a[0] + b[0]) / 2), round((a[1] + b[1]) / 2)];
    return { ...s, points: [...s.points.slice(0, vertex + 1), middle, ...s.points.slice(vertex + 1)] };
  });
}

/** How far one arrow-key press moves things: 1 frame pixel, 10 with Shift. */
export function arrowStep(key: string, shift: boolean): [number, number] | null {
  const step = shift ? 10 : 1;
  const steps: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  return steps[key] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Drawing a new shape point by point.

export interface Draft {
  kind: ShapeKind;
  points: Point[];
}

export type DraftStep = { draft: Draft; done: false } | { shape: Point[]; done: true };

/**
 * A click while drawing: a line is done at its second point; a zone is done when the click lands within
 * `closeRadius` of its first vertex (with at least 3 vertices) or at MAX_VERTICES.
 */
export function addDraftPoint(draft: Draft, point: Point, closeRadius: number): DraftStep {
  if (draft.kind === "line") {
    const points = [...draft.points, point];
    return points.length === 2 ? { shape: points, done: true } : { draft: { ...draft, points }, done: false };
  }
  const first = draft.points[0];
  if (first && draft.points.length >= 3 && Math.hypot(point[0] - first[0], point[1] - first[1]) <= closeRadius) {
    return { shape: draft.points, done: true };
  }
  const points = [...draft.points, point];
  return points.length >= MAX_VERTICES ? { shape: points, done: true } : { draft: { ...draft, points }, done: false };
}

/** Whether a draft can be finished now (Enter or the Finish button). */
export function canFinish(draft: Draft): boolean {
  return draft.points.length >= (draft.kind === "zone" ? 3 : 2);
}

// ---------------------------------------------------------------------------------------------
// Checks, and the API's shapes.

/** Twice the signed area (shoelace); 0 when all vertices lie on one line. */
function doubleArea(points: Point[]): number {
  return points.reduce((sum, [x, y], i) => {
    const [nx, ny] = points[(i + 1) % points.length];
    return sum + x * ny - nx * y;
  }, 0);
}

/** What would make the server refuse these regions, in words (empty when they can be measured). */
export function problems(shapes: Shape[]): string[] {
  const found: string[] = [];
  if (shapes.length === 0) found.push("Draw at least one zone or line.");
  const zones = shapes.filter((s) => s.kind === "zone").length;
  if (zones > MAX_SHAPES) found.push(`At most ${MAX_SHAPES} zones.`);
  if (shapes.length - zones > MAX_SHAPES) found.push(`At most ${MAX_SHAPES} lines.`);
  const seen = new Set<string>();
  for (const shape of shapes) {
    const name = shape.name.trim();
    if (!name) found.push(`Every ${shape.kind} needs a name.`);
    else if (name.length > MAX_NAME) found.push(`"${name.slice(0, 20)}…" is longer than ${MAX_NAME} characters.`);
    else if (seen.has(name)) found.push(`The name "${name}" is used twice.`);
    seen.add(name);
    if (shape.kind === "zone" && Math.abs(doubleArea(shape.points)) < 1e-9) found.push(`Zone "${name}" has no area.`);
    if (shape.kind === "line" && shape.points[0][0] === shape.points[1][0] && shape.points[0][1] === shape.points[1][1]) {
      found.push(`Line "${name}" has no length.`);
    }
  }
  return [...new Set(found)];
}

export function toRegions(shapes: Shape[]): Regions {
  return {
    zones: shapes.filter((s) => s.kind === "zone").map((s) => ({ name: s.name.trim(), polygon: s.points })),
    lines: shapes.filter((s) => s.kind === "line").map((s) => ({ name: s.name.trim(), points: s.points })),
  };
}

export function fromRegions(regions: Pick<Regions, "zones" | "lines"> | RegionsAnalysis): Shape[] {
  return [
    ...regions.zones.map((z): Shape => ({ kind: "zone", name: z.name, points: z.polygon.map(([x, y]): Point => [x, y]) })),
    ...regions.lines.map((l): Shape => ({ kind: "line", name: l.name, points: l.points.map(([x, y]): Point => [x, y]) })),
  ];
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers.

/** Where a zone's name goes: the mean of its vertices. */
export function labelPoint(points: Point[]): Point {
  const n = points.length || 1;
  return [points.reduce((s, p) => s + p[0], 0) / n, points.reduce((s, p) => s + p[1], 0) / n];
}

/**
 * Where a shape's name goes: above `point`, anchored so that text `fontSize` high stays inside the frame (a
 * label near the left edge starts at its point, one near the right edge ends there, one near the top sits below).
 */
export function nameLabel([x, y]: Point, frame: Frame, fontSize: number, above: number): { x: number; y: number; anchor: "start" | "middle" | "end" } {
  const anchor = x < frame.width * 0.2 ? "start" : x > frame.width * 0.8 ? "end" : "middle";
  const top = y - above;
  return { x: Math.min(Math.max(x, 2), frame.width - 2), y: top < fontSize ? y + above + fontSize : top, anchor };
}

/** The line with its ends swapped: its `in` side becomes the other side. */
export function flipLine(shapes: Shape[], index: number): Shape[] {
  return shapes.map((s, i) => (i === index && s.kind === "line" ? { ...s, points: [...s.points].reverse() } : s));
}

/**
 * The arrow that shows a line's `in` direction: from its middle toward the right-hand side of points[0] ->
 * points[1] as seen on screen (y down), `length` frame pixels long.
 */
export function inArrow([a, b]: Point[], length: number): { from: Point; to: Point } {
  const mx = (a[0] + b[0]) / 2;
  const my = (a[1] + b[1]) / 2;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const norm = Math.hypot(dx, dy) || 1;
  // Right-hand normal on screen: rotate the direction by +90° in y-down coordinates, (dx, dy) -> (-dy, dx).
  return { from: [mx, my], to: [mx + (-dy / norm) * length, my + (dx / norm) * length] };
}
