/* Test vectors generated next to the model (selftest-vectors.c): inputs and the outputs the host's
 * reference runtime computed for them, tensor after tensor. */
#ifndef TF_SELFTEST_H
#define TF_SELFTEST_H

#include <stdint.h>

extern const uint32_t tf_selftest_count;
extern const int8_t tf_selftest_inputs[];   /* tf_selftest_count × TF_MODEL_INPUT_BYTES */
extern const int8_t tf_selftest_expected[]; /* tf_selftest_count × TF_MODEL_OUTPUT_BYTES */

#endif
