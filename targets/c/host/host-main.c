/* Runs the generated model on the build machine: reads whole inputs (TF_MODEL_INPUT_BYTES each) from stdin
 * until it ends and writes one output per input to stdout. Used to check the generated C under sanitizers. */
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

int main(void) {
  static int8_t input[TF_MODEL_INPUT_BYTES > 0 ? TF_MODEL_INPUT_BYTES : 1];
  static int8_t output[TF_MODEL_OUTPUT_BYTES > 0 ? TF_MODEL_OUTPUT_BYTES : 1];
  for (;;) {
    size_t got = fread(input, 1, TF_MODEL_INPUT_BYTES, stdin);
    if (got == 0) return 0;
    if (got != TF_MODEL_INPUT_BYTES) {
      fprintf(stderr, "host-main: truncated input: %zu of %d bytes\n", got, TF_MODEL_INPUT_BYTES);
      return 2;
    }
    int status = TF_MODEL_INVOKE(input, output);
    if (status != 0) {
      fprintf(stderr, "host-main: invoke returned %d\n", status);
      return 3;
    }
    if (fwrite(output, 1, TF_MODEL_OUTPUT_BYTES, stdout) != TF_MODEL_OUTPUT_BYTES) return 4;
  }
}
