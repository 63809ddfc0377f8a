// CalculateInputRadius of TFLite's fixed-point softmax, logistic and tanh: the largest input difference
// that cannot overflow once rescaled. (Their input multipliers come from quantizeMultiplier.)

/** TFLite's CalculateInputRadius(integerBits, leftShift, totalSignedBits). */
export function calculateInputRadius(integerBits: number, leftShift: number, totalSignedBits = 31): number {
  return Math.floor(((2 ** integerBits - 1) * 2 ** (totalSignedBits - integerBits)) / 2 ** leftShift);
}
