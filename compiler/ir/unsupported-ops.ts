// Reports every op a model uses that tinyforge cannot run, all at once, by name and count,
// so a user sees the full list of what to change instead of fixing one op per attempt.
import { SUPPORTED_OPS, isSupportedOp } from '../../formats/ir/op-types.ts';

export interface UnsupportedOpUse {
  /** Op name, e.g. 'SUB' or 'CUSTOM(TFLite_Detection_PostProcess)'. */
  name: string;
  count: number;
  /** Positions of the ops in execution order. */
  opIndices: number[];
}

export class UnsupportedOpsError extends Error {
  readonly unsupported: UnsupportedOpUse[];
  readonly supported: readonly string[] = SUPPORTED_OPS;

  constructor(unsupported: UnsupportedOpUse[], model?: string) {
    const total = unsupported.reduce((n, u) => n + u.count, 0);
    const list = unsupported
      .map((u) => `${u.name} x${u.count} (op${u.count > 1 ? 's' : ''} ${u.opIndices.join(', ')})`)
      .join('; ');
    super(`${model ? `${model}: ` : ''}${total} unsupported op${total > 1 ? 's' : ''}: ${list}. ` +
      `tinyforge supports: ${SUPPORTED_OPS.join(', ')}. ` +
      'Convert the model so it uses only these ops (for example replace them in the training graph before export).');
    this.name = 'UnsupportedOpsError';
    this.unsupported = unsupported;
  }
}

/** Unsupported ops among `opNames` (one name per op, in execution order), grouped by name in first-use order. */
export function findUnsupportedOps(opNames: readonly string[]): UnsupportedOpUse[] {
  const byName = new Map<string, UnsupportedOpUse>();
  opNames.forEach((name, index) => {
    if (isSupportedOp(name)) return;
    const use = byName.get(name) ?? { name, count: 0, opIndices: [] };
    use.count++;
    use.opIndices.push(index);
    byName.set(name, use);
  });
  return [...byName.values()];
}

/** Throws UnsupportedOpsError naming every unsupported op when there is any. */
export function checkSupportedOps(opNames: readonly string[], model?: string): void {
  const unsupported = findUnsupportedOps(opNames);
  if (unsupported.length > 0) throw new UnsupportedOpsError(unsupported, model);
}
