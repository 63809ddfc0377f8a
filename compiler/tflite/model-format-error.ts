// The one error a malformed model file ends in: it says where (tensor / op / buffer index or byte
// offset) and what is wrong, so a user can tell a corrupt download from an unsupported export.

export interface ModelFormatErrorDetails {
  /** File or model name, when the caller gave one. */
  model?: string;
  /** Where in the model: "subgraph 0 tensor 12", "op 3", "buffer 7", "byte 1024". */
  where: string;
  /** What is wrong, with the numbers involved. */
  problem: string;
  /** Byte offset in the file, when the fault is at a known position. */
  byteOffset?: number;
}

export class ModelFormatError extends Error {
  readonly model?: string;
  readonly where: string;
  readonly problem: string;
  readonly byteOffset?: number;

  constructor(details: ModelFormatErrorDetails) {
    const prefix = details.model ? `${details.model}: ` : '';
    super(`${prefix}${details.where}: ${details.problem}`);
    this.name = 'ModelFormatError';
    this.model = details.model;
    this.where = details.where;
    this.problem = details.problem;
    this.byteOffset = details.byteOffset;
  }
}
