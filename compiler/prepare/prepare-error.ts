// A model that tinyforge cannot prepare: the message names the op, the numbers and the way out.

export class PrepareError extends Error {
  override name = 'PrepareError';
}

/** `OP_TYPE op #index` as every prepare message starts. */
export function opLabel(op: { type: string; index: number }): string {
  return `${op.type} op #${op.index}`;
}
