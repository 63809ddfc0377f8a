/* The blob interpreter on the build machine: `blob-host MODEL.tfb ARENA_BYTES` opens the blob with an arena of
 * exactly ARENA_BYTES (so a sanitizer sees any write past what the model declared), then reads whole inputs from
 * stdin until it ends and writes one output per input to stdout. `blob-host MODEL.tfb ARENA_BYTES info` prints the
 * I/O tensors instead, `... selftest` runs the blob's own self-test vectors and prints how many match. A refused blob exits with 10 + the negated status and names it on stderr. */
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tf_blob.h"

static void *aligned(size_t n) {
  void *p = 0;
  return posix_memalign(&p, 16, n ? n : 16) == 0 ? p : 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: blob-host MODEL.tfb ARENA_BYTES [info]\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "blob-host: cannot open %s\n", argv[1]);
    return 2;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *blob = aligned((size_t)size);
  if (fread(blob, 1, (size_t)size, f) != (size_t)size) return 2;
  fclose(f);
  uint32_t capacity = (uint32_t)strtoul(argv[2], 0, 10);
  uint8_t *arena = aligned(capacity);

  tf_blob b;
  tf_blob_status st = tf_blob_open(&b, blob, (uint32_t)size, arena, capacity);
  if (st != TF_BLOB_OK) {
    fprintf(stderr, "tf_blob_open: %s (%d), step %d, arena need %u of %u\n", tf_blob_status_name(st), (int)st, (int)b.bad_step, (unsigned)b.arena_bytes, (unsigned)capacity);
    free(blob);
    free(arena);
    return 10 - (int)st;
  }
  int code = 0;
  if (argc > 3 && strcmp(argv[3], "info") == 0) {
    printf("%.*s arena=%u steps=%u in=%u out=%u\n", (int)b.name_bytes, b.name, (unsigned)b.arena_bytes, (unsigned)b.step_count, (unsigned)b.input_bytes, (unsigned)b.output_bytes);
    for (int d = 0; d < 2; d++) {
      tf_blob_tensor t;
      for (uint32_t i = 0; tf_blob_io(&b, (tf_blob_direction)d, i, &t) == TF_BLOB_OK; i++) {
        printf("%s %u bytes=%u dtype=%u scale=%.9g zp=%d shape=", d ? "output" : "input", (unsigned)i, (unsigned)t.bytes, (unsigned)t.dtype, (double)t.scale, (int)t.zero_point);
        for (uint32_t k = 0; k < t.rank; k++) printf("%s%u", k ? "," : "", (unsigned)t.shape[k]);
        printf("\n");
      }
    }
  } else if (argc > 3 && strcmp(argv[3], "selftest") == 0) {
    uint8_t *output = malloc(b.output_bytes ? b.output_bytes : 1);
    uint32_t pass = 0;
    for (uint32_t v = 0; v < b.selftest_count; v++) {
      st = tf_blob_invoke(&b, b.selftest_inputs + v * b.input_bytes, output);
      pass += st == TF_BLOB_OK && memcmp(output, b.selftest_expected + v * b.output_bytes, b.output_bytes) == 0;
    }
    printf("selftest %u/%u pass\n", (unsigned)pass, (unsigned)b.selftest_count);
    code = pass == b.selftest_count ? 0 : 5;
    free(output);
  } else {
    uint8_t *input = malloc(b.input_bytes ? b.input_bytes : 1), *output = malloc(b.output_bytes ? b.output_bytes : 1);
    for (;;) {
      size_t got = fread(input, 1, b.input_bytes, stdin);
      if (got == 0) break;
      if (got != b.input_bytes) {
        fprintf(stderr, "blob-host: truncated input: %zu of %u bytes\n", got, (unsigned)b.input_bytes);
        code = 3;
        break;
      }
      st = tf_blob_invoke(&b, input, output);
      if (st != TF_BLOB_OK) {
        fprintf(stderr, "tf_blob_invoke: %s (%d)\n", tf_blob_status_name(st), (int)st);
        code = 4;
        break;
      }
      fwrite(output, 1, b.output_bytes, stdout);
    }
    free(input);
    free(output);
  }
  free(blob);
  free(arena);
  return code;
}
