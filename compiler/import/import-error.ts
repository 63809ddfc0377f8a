/** A float model tinyforge cannot import: the message names every problem and the way out. */
export class ImportError extends Error {
  override name = 'ImportError';
}
