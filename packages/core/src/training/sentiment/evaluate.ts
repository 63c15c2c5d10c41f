/**
 * Classification metrics on a held-out split, for any model that gives class probabilities (the trained
 * classifier, or the current default scored through the sentiment task): accuracy, precision / recall / F1
 * per class, macro F1, log loss and the confusion matrix (rows: true class, columns: predicted class).
 */

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose true class this is. */
  support: number;
}

export interface ClassificationReport {
  examples: number;
  accuracy: number;
  macroF1: number;
  /** Mean −ln p(true class), with p clipped to [1e-15, 1]. */
  logLoss: number;
  perClass: ClassMetrics[];
  labels: string[];
  /** confusion[true][predicted] = count. */
  confusion: number[][];
}

const LOG_LOSS_FLOOR = 1e-15;
const ratio = (top: number, bottom: number) => (bottom === 0 ? 0 : top / bottom);

/** The predicted class: the most probable, the first on ties. */
export function argmax(probabilities: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < probabilities.length; c++) {
    if ((probabilities[c] as number) > (probabilities[best] as number)) best = c;
  }
  return best;
}

export function classificationReport(
  labels: readonly string[],
  truth: readonly number[],
  probabilities: ReadonlyArray<ArrayLike<number>>,
): ClassificationReport {
  if (truth.length !== probabilities.length) throw new RangeError("one probability row per example");
  const classes = labels.length;
  const confusion = labels.map(() => new Array<number>(classes).fill(0));
  let correct = 0;
  let loss = 0;
  truth.forEach((label, index) => {
    const row = probabilities[index] as ArrayLike<number>;
    const predicted = argmax(row);
    (confusion[label] as number[])[predicted] = ((confusion[label] as number[])[predicted] as number) + 1;
    if (predicted === label) correct += 1;
    loss -= Math.log(Math.min(1, Math.max(LOG_LOSS_FLOOR, row[label] as number)));
  });
  const perClass = labels.map((name, c) => {
    const truePositive = (confusion[c] as number[])[c] as number;
    const predicted = confusion.reduce((total, row) => total + (row[c] as number), 0);
    const support = (confusion[c] as number[]).reduce((total, count) => total + count, 0);
    const precision = ratio(truePositive, predicted);
    const recall = ratio(truePositive, support);
    return { label: name, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const examples = truth.length;
  return {
    examples,
    accuracy: ratio(correct, examples),
    macroF1: ratio(
      perClass.reduce((total, metrics) => total + metrics.f1, 0),
      classes,
    ),
    logLoss: ratio(loss, examples),
    perClass,
    labels: [...labels],
    confusion,
  };
}
