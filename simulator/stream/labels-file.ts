// labels.txt beside a model: one class name per line, in output order.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LABELS_FILE = 'labels.txt';

export class LabelsFileError extends Error {
  override name = 'LabelsFileError';
}

/** The labels in `dir`/labels.txt; `classes` (the model's output width) must match their number. */
export function readLabels(dir: string, classes: number): string[] {
  const path = join(dir, LABELS_FILE);
  if (!existsSync(path)) {
    throw new LabelsFileError(`no ${LABELS_FILE} beside the model in ${dir}: write one class name per line (${classes} lines, in output order)`);
  }
  const labels = readFileSync(path, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (labels.length !== classes) {
    throw new LabelsFileError(`${path} has ${labels.length} labels, the model has ${classes} outputs: one label per output, in order`);
  }
  return labels;
}
