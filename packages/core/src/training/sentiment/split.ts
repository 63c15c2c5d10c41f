/** The stratified train/test split: the same seed gives the same split. */
import { seededRandom } from "../random.js";

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export interface Split<T> {
  train: T[];
  test: T[];
}

/**
 * Per class, a seeded shuffle of its items and round(testFraction × count) of them to the test part (at
 * least one when the class has two or more); both parts keep the input order.
 */
export function stratifiedSplit<T>(
  items: readonly T[],
  classOf: (item: T) => number,
  testFraction: number,
  seed: number,
): Split<T> {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError("testFraction must be in (0, 1)");
  const random = seededRandom(seed);
  const byClass = new Map<number, number[]>();
  items.forEach((item, index) => {
    const label = classOf(item);
    const members = byClass.get(label);
    if (members) members.push(index);
    else byClass.set(label, [index]);
  });
  const inTest = new Uint8Array(items.length);
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const indices = shuffle(byClass.get(label) ?? [], random);
    const count = indices.length < 2 ? 0 : Math.max(1, Math.round(testFraction * indices.length));
    for (const index of indices.slice(0, count)) inTest[index] = 1;
  }
  const train: T[] = [];
  const test: T[] = [];
  items.forEach((item, index) => {
    (inTest[index] ? test : train).push(item);
  });
  return { train, test };
}
