/* Test vectors generated next to the model (selftest-vectors.c): inputs and the outputs the host's
 * reference runtime computed for them, tensor after tensor; and the self-test that checks them (selftest-run.c). */
#ifndef TF_SELFTEST_H
#define TF_SELFTEST_H

#include <stdint.h>

extern const uint32_t tf_selftest_count;
extern const int8_t tf_selftest_inputs[];   /* tf_selftest_count × TF_MODEL_INPUT_BYTES */
extern const int8_t tf_selftest_expected[]; /* tf_selftest_count × TF_MODEL_OUTPUT_BYTES */

/* Where the self-test's text goes, one character at a time (board_putc, Serial.write, printk). */
typedef void (*tf_putc_fn)(uint8_t c);

/* Text and unsigned decimal numbers through `put` (shared with the slot firmware's boot messages). */
void tf_put_text(tf_putc_fn put, const char *s);
void tf_put_uint(tf_putc_fn put, uint32_t v);

/* One inference, between the instruction-count markers when built with TF_PROFILE. */
int tf_invoke(const int8_t *input, int8_t *output);

/* Runs every vector (output: TF_MODEL_OUTPUT_BYTES of scratch), prints a line per vector and a summary
 * through `put`; returns the number of failing vectors. */
uint32_t tf_selftest_run(int8_t *output, tf_putc_fn put);
/* The same for `count` vectors at `inputs` and `expected` (tf_selftest_run's loop, for vectors found at run time). */
uint32_t tf_selftest_vectors(const int8_t *inputs, const int8_t *expected, uint32_t count, int8_t *output, tf_putc_fn put);

#endif
