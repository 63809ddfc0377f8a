/** A model blob that is truncated, corrupt, or from another format version. */
export class BlobFormatError extends Error {
  override name = 'BlobFormatError';
}
