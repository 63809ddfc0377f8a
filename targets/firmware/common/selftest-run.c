/* The boot self-test: runs each embedded vector through the model and prints one line per vector and a
 * summary ("selftest: 2/2 pass"). Shared by the firmware's main.c and the exported Arduino, PlatformIO and
 * Zephyr apps, which differ only in how a character reaches the serial port. */
#include <stdint.h>

#include "model.h"
#include "profile-markers.h"
#include "selftest.h"

void tf_put_text(tf_putc_fn put, const char *s) {
  while (*s) put((uint8_t)*s++);
}

void tf_put_uint(tf_putc_fn put, uint32_t v) {
  char digits[10];
  int n = 0;
  do digits[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n > 0) put((uint8_t)digits[--n]);
}

static void put_int(tf_putc_fn put, int32_t v) {
  if (v < 0) {
    put('-');
    tf_put_uint(put, 0u - (uint32_t)v);
  } else {
    tf_put_uint(put, (uint32_t)v);
  }
}

int tf_invoke(const int8_t *input, int8_t *output) {
  TF_MARK_INVOKE_BEGIN();
  int status = TF_MODEL_INVOKE(input, output);
  TF_MARK_INVOKE_END();
  return status;
}

uint32_t tf_selftest_vectors(const int8_t *inputs, const int8_t *expected, uint32_t count, int8_t *output, tf_putc_fn put) {
  uint32_t failures = 0;
  for (uint32_t v = 0; v < count; v++) {
    const int8_t *in = inputs + v * TF_MODEL_INPUT_BYTES;
    const int8_t *want = expected + v * TF_MODEL_OUTPUT_BYTES;
    int status = tf_invoke(in, output);
    int32_t first = -1;
    for (uint32_t i = 0; i < TF_MODEL_OUTPUT_BYTES && first < 0; i++)
      if (output[i] != want[i]) first = (int32_t)i;
    tf_put_text(put, "selftest ");
    tf_put_uint(put, v);
    if (status == 0 && first < 0) {
      tf_put_text(put, ": pass\n");
      continue;
    }
    failures++;
    if (status != 0) {
      tf_put_text(put, ": FAIL (invoke returned ");
      put_int(put, status);
    } else {
      tf_put_text(put, ": FAIL (output byte ");
      put_int(put, first);
      tf_put_text(put, " is ");
      put_int(put, output[first]);
      tf_put_text(put, ", expected ");
      put_int(put, want[first]);
    }
    tf_put_text(put, ")\n");
  }
  tf_put_text(put, "selftest: ");
  tf_put_uint(put, count - failures);
  tf_put_text(put, "/");
  tf_put_uint(put, count);
  tf_put_text(put, failures ? " pass, FAILED\n" : " pass\n");
  return failures;
}

#ifndef TF_MODEL_FROM_SLOT /* a slot firmware's vectors come with the model in flash (slots/slot-boot.c) */
uint32_t tf_selftest_run(int8_t *output, tf_putc_fn put) {
  return tf_selftest_vectors(tf_selftest_inputs, tf_selftest_expected, tf_selftest_count, output, put);
}
#endif
