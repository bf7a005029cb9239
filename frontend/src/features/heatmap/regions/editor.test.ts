import { describe, expect, it } from "vitest";
import {
  addDraftPoint,
  arrowStep,
  canFinish,
  clampPoint,
  defaultShape,
  flipLine,
  nameLabel,
  fromRegions,
  inArrow,
  insertVertex,
  moveShape,
  moveVertex,
  nextName,
  problems,
  removeVertex,
  screenToFrame,
  toRegions,
  type Draft,
  type Shape,
} from "./editor";

const frame = { width: 320, height: 240 };
const square: Shape = {
  kind: "zone",
  name: "Entrance",
  points: [
    [100, 100],
    [200, 100],
    [200, 200],
    [100, 200],
  ],
};
const door: Shape = {
  kind: "line",
  name: "Door",
  points: [
    [250, 20],
    [250, 220],
  ],
};

describe("coordinates", () => {
  it("maps a screen position to frame pixels, whatever size the frame is drawn at", () => {
    const box = { left: 10, top: 20, width: 640, height: 480 }; // drawn at twice the size
    expect(screenToFrame(10 + 320, 20 + 120, box, frame)).toEqual([160, 60]);
    expect(screenToFrame(0, 0, box, frame)).toEqual([0, 0]); // outside: clamped to the frame
    expect(screenToFrame(2000, 2000, box, frame)).toEqual([320, 240]);
  });

  it("clamps and rounds to a tenth of a pixel", () => {
    expect(clampPoint([-5, 100.123], frame)).toEqual([0, 100.1]);
  });
});

describe("editing shapes", () => {
  it("moves one vertex, clamped to the frame", () => {
    const [moved] = moveVertex([square], 0, 2, [400, 210], frame);
    expect(moved.points[2]).toEqual([320, 210]);
    expect(moved.points[0]).toEqual([100, 100]);
  });

  it("moves a whole shape and stops it at the frame's edge without changing its form", () => {
    const [moved] = moveShape([square], 0, 500, -30, frame);
    expect(moved.points).toEqual([
      [220, 70],
      [320, 70],
      [320, 170],
      [220, 170],
    ]);
  });

  it("keeps a zone at 3 vertices or more and a line at 2", () => {
    const triangle = removeVertex([square], 0, 1)[0];
    expect(triangle.points).toHaveLength(3);
    expect(removeVertex([triangle], 0, 0)[0].points).toHaveLength(3);
    expect(removeVertex([door], 0, 0)[0].points).toHaveLength(2);
  });

  it("inserts a vertex in the middle of the edge after the chosen one", () => {
    expect(insertVertex([square], 0, 3)[0].points).toEqual([...square.points, [100, 150]]);
    expect(insertVertex([square], 0, 0)[0].points[1]).toEqual([150, 100]);
    expect(insertVertex([door], 0, 0)[0].points).toHaveLength(2);
  });

  it("names new shapes with the first free number", () => {
    const shapes = [defaultShape([], "zone", frame)];
    expect(shapes[0].name).toBe("Zone 1");
    expect(nextName([...shapes, { ...square, name: "Zone 2" }], "zone")).toBe("Zone 3");
    expect(nextName(shapes, "line")).toBe("Line 1");
  });

  it("moves by 1 px per arrow key, 10 with Shift", () => {
    expect(arrowStep("ArrowLeft", false)).toEqual([-1, 0]);
    expect(arrowStep("ArrowDown", true)).toEqual([0, 10]);
    expect(arrowStep("a", false)).toBeNull();
  });
});

describe("drawing", () => {
  it("finishes a line at its second point", () => {
    const first = addDraftPoint({ kind: "line", points: [] }, [10, 10], 5);
    expect(first.done).toBe(false);
    if (first.done) return;
    expect(addDraftPoint(first.draft, [50, 10], 5)).toEqual({
      done: true,
      shape: [
        [10, 10],
        [50, 10],
      ],
    });
  });

  it("closes a zone on its first vertex once it has three", () => {
    let draft: Draft = { kind: "zone", points: [] };
    for (const point of [
      [10, 10],
      [60, 10],
      [60, 60],
    ] as [number, number][]) {
      const step = addDraftPoint(draft, point, 5);
      expect(step.done).toBe(false);
      if (!step.done) draft = step.draft;
    }
    expect(canFinish(draft)).toBe(true);
    expect(addDraftPoint(draft, [12, 13], 5)).toMatchObject({ done: true, shape: draft.points });
    expect(addDraftPoint(draft, [20, 20], 5)).toMatchObject({ done: false });
  });

  it("does not close a zone of two points on its first one", () => {
    const step = addDraftPoint(
      {
        kind: "zone",
        points: [
          [10, 10],
          [60, 10],
        ],
      },
      [10, 10],
      5,
    );
    expect(step.done).toBe(false);
  });
});

describe("checks and the API's shapes", () => {
  it("finds what the server would refuse", () => {
    expect(problems([])).toEqual(["Draw at least one zone or line."]);
    expect(problems([square, door])).toEqual([]);
    expect(problems([square, { ...door, name: "Entrance" }])).toEqual(['The name "Entrance" is used twice.']);
    expect(problems([{ ...square, name: "  " }])).toEqual(["Every zone needs a name."]);
    const flat: Shape = {
      ...square,
      points: [
        [0, 0],
        [10, 10],
        [20, 20],
      ],
    };
    expect(problems([flat])).toEqual(['Zone "Entrance" has no area.']);
    expect(problems([{ ...door, points: [door.points[0], door.points[0]] }])).toEqual(['Line "Door" has no length.']);
  });

  it("turns shapes into the request body and back", () => {
    const body = toRegions([{ ...square, name: " Entrance " }, door]);
    expect(body).toEqual({ zones: [{ name: "Entrance", polygon: square.points }], lines: [{ name: "Door", points: door.points }] });
    expect(fromRegions(body)).toEqual([square, door]);
  });
});

describe("the in arrow", () => {
  it("points to the right-hand side of the line as seen on screen", () => {
    // Drawn downwards, the right-hand side on screen is toward smaller x (the server counts `in` that way).
    expect(inArrow(door.points, 10)).toEqual({ from: [250, 120], to: [240, 120] });
    // Drawn left to right: down the screen.
    expect(
      inArrow(
        [
          [0, 50],
          [100, 50],
        ],
        10,
      ).to,
    ).toEqual([50, 60]);
  });
});

describe("names and directions", () => {
  const frame = { width: 320, height: 240 };

  it.each([
    [[0, 100], "start", 2],
    [[160, 100], "middle", 160],
    [[320, 100], "end", 318],
  ] as const)("keeps the name of a shape at %j inside the frame (anchor %s)", (point, anchor, x) => {
    expect(nameLabel([point[0], point[1]], frame, 14, 9)).toEqual({ x, y: 91, anchor });
  });

  it("puts a name below a point at the top edge", () => {
    expect(nameLabel([160, 4], frame, 14, 9).y).toBe(27);
  });

  it("flips a line's direction (its ends swapped) and leaves zones alone", () => {
    const shapes = [
      defaultShape([], "zone", frame),
      { kind: "line" as const, name: "Door", points: [[10, 20] as [number, number], [30, 40] as [number, number]] },
    ];
    const flipped = flipLine(shapes, 1);
    expect(flipped[1].points).toEqual([
      [30, 40],
      [10, 20],
    ]);
    expect(flipLine(shapes, 0)[0]).toEqual(shapes[0]);
  });
});
