// `--stack N`, as `build` reserves it and `simulate` counts it: bytes of stack the firmware links with
// (--defsym=__stack_size), the same bounds for both verbs.
import { z } from 'zod';

export const STACK_OPTION_MIN = 256;
export const STACK_OPTION_MAX = 1 << 20;

export const StackOption = z.coerce.number().int().min(STACK_OPTION_MIN).max(STACK_OPTION_MAX);
