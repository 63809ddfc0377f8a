// RESHAPE (and any same-bytes copy): the planner usually aliases output to input, making this a no-op.

export function reshape_s8(input: usize, output: usize, bytes: i32): void {
  if (input != output) memory.copy(output, input, <usize>bytes);
}
