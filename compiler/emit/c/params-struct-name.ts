// The C name of a kernel's parameter struct, shared by the generated header (kernel-params-header.ts) and the
// generated model C (emit-model-c.ts).
export function paramsStructName(kernel: string): string {
  return `${kernel}_params`;
}
