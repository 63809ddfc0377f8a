// Accuracy and confusion matrix (rows: true class, columns: predicted) of class predictions.
export interface Evaluation {
  accuracy: number;
  confusion: number[][];
}

export function evaluatePredictions(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): Evaluation {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  return { accuracy: truth.length ? correct / truth.length : 0, confusion };
}

export function formatConfusion(e: Evaluation, labels: readonly string[]): string {
  const w = 7;
  const head = 'true\\pred'.padEnd(9) + labels.map((l) => l.slice(0, w - 1).padStart(w)).join('');
  const rows = e.confusion.map((row, i) => labels[i].padEnd(9) + row.map((n) => String(n).padStart(w)).join(''));
  return [head, ...rows].join('\n');
}
