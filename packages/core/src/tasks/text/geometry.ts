/**
 * Plane geometry for text boxes: convex hull, minimum-area rectangle (rotating calipers, as OpenCV's
 * minAreaRect), point-in-quadrilateral, and polygon offsetting (clipper-lib, as PaddleOCR's unclip uses
 * pyclipper: round joins, closed polygon).
 */
import clipper from "clipper-lib";

export type Point = readonly [number, number];
/** Four corners: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Andrew's monotone chain; counter-clockwise (in y-down image coordinates: clockwise on screen). */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length <= 2) return sorted;
  const build = (input: Point[]) => {
    const chain: Point[] = [];
    for (const point of input) {
      while (
        chain.length >= 2 &&
        cross(chain[chain.length - 2] as Point, chain[chain.length - 1] as Point, point) <= 0
      )
        chain.pop();
      chain.push(point);
    }
    chain.pop();
    return chain;
  };
  return [...build(sorted), ...build([...sorted].reverse())];
}

/**
 * The smallest-area rectangle around the points (one side along a hull edge), its corners ordered as
 * PaddleOCR's get_mini_boxes orders them, and its shorter side.
 */
export function minAreaRect(points: readonly Point[]): { quad: Quad; shortSide: number } {
  const hull = convexHull(points);
  if (hull.length === 0)
    return {
      quad: [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
      shortSide: 0,
    };
  let best = { area: Number.POSITIVE_INFINITY, corners: [] as Point[], shortSide: 0 };
  const edges = hull.length === 1 ? 1 : hull.length;
  for (let i = 0; i < edges; i++) {
    const a = hull[i] as Point;
    const b = hull[(i + 1) % hull.length] as Point;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const ux = hull.length === 1 ? 1 : (b[0] - a[0]) / length;
    const uy = hull.length === 1 ? 0 : (b[1] - a[1]) / length;
    let minU = Number.POSITIVE_INFINITY;
    let maxU = Number.NEGATIVE_INFINITY;
    let minV = Number.POSITIVE_INFINITY;
    let maxV = Number.NEGATIVE_INFINITY;
    for (const [x, y] of hull) {
      const u = x * ux + y * uy;
      const v = -x * uy + y * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < best.area) {
      const at = (u: number, v: number): Point => [u * ux - v * uy, u * uy + v * ux];
      best = {
        area,
        corners: [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)],
        shortSide: Math.min(maxU - minU, maxV - minV),
      };
    }
  }
  return { quad: orderCorners(best.corners), shortSide: best.shortSide };
}

/** get_mini_boxes' order: the two leftmost points give top-left / bottom-left, the others the right. */
export function orderCorners(corners: readonly Point[]): Quad {
  const byX = [...corners].sort((a, b) => a[0] - b[0]);
  const [l1, l2, r1, r2] = byX as [Point, Point, Point, Point];
  const [topLeft, bottomLeft] = l1[1] <= l2[1] ? [l1, l2] : [l2, l1];
  const [topRight, bottomRight] = r1[1] <= r2[1] ? [r1, r2] : [r2, r1];
  return [topLeft, topRight, bottomRight, bottomLeft];
}

export const polygonArea = (polygon: readonly Point[]) =>
  Math.abs(
    polygon.reduce((sum, [x, y], i) => {
      const [nx, ny] = polygon[(i + 1) % polygon.length] as Point;
      return sum + x * ny - nx * y;
    }, 0) / 2,
  );

export const polygonPerimeter = (polygon: readonly Point[]) =>
  polygon.reduce((sum, [x, y], i) => {
    const [nx, ny] = polygon[(i + 1) % polygon.length] as Point;
    return sum + Math.hypot(nx - x, ny - y);
  }, 0);

/** PaddleOCR's unclip: offset outwards by area × ratio / perimeter, round joins. */
export function unclip(quad: readonly Point[], ratio: number): Point[] {
  const distance = (polygonArea(quad) * ratio) / (polygonPerimeter(quad) || 1);
  const offset = new clipper.ClipperOffset();
  offset.AddPath(
    quad.map(([x, y]) => ({ X: Math.round(x), Y: Math.round(y) })),
    clipper.JoinType.jtRound,
    clipper.EndType.etClosedPolygon,
  );
  const solution: Array<Array<{ X: number; Y: number }>> = [];
  offset.Execute(solution, distance);
  const largest = solution.sort((a, b) => b.length - a.length)[0] ?? [];
  return largest.map((point): Point => [point.X, point.Y]);
}

/** Whether (x, y) is inside a convex quadrilateral (edges included). */
export function insideQuad(quad: Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const side = cross(quad[i] as Point, quad[(i + 1) % 4] as Point, [x, y]);
    if (side === 0) continue;
    if (sign === 0) sign = Math.sign(side);
    else if (Math.sign(side) !== sign) return false;
  }
  return true;
}
