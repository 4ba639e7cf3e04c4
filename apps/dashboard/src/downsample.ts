// Long curves stay cheap to draw: at most `max` points, chosen by
// largest-triangle-three-buckets so peaks and dips survive (first and last
// points always kept). Pure; the charts call it on every update.
export function downsample<T>(points: readonly T[], max: number, y: (p: T) => number): T[] {
  if (max < 3 || points.length <= max) return [...points];
  const out: T[] = [points[0] as T];
  const bucket = (points.length - 2) / (max - 2);
  let a = 0;
  for (let i = 0; i < max - 2; i++) {
    const start = Math.floor(i * bucket) + 1;
    const end = Math.min(Math.floor((i + 1) * bucket) + 1, points.length - 1);
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((i + 2) * bucket) + 1, points.length);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += j;
      avgY += y(points[j] as T);
    }
    const n = Math.max(1, nextEnd - nextStart);
    avgX /= n;
    avgY /= n;
    const ay = y(points[a] as T);
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((a - avgX) * (y(points[j] as T) - ay) - (a - j) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best] as T);
    a = best;
  }
  out.push(points[points.length - 1] as T);
  return out;
}
