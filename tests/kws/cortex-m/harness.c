/* Runs the C front end on Cortex-M4 under QEMU (mps2-an386): reads one-second int16 clips from the host file
 * clips.raw through semihosting, writes 490 int8 features per clip to features.raw, exits with 0. Quantization from
 * -DQUANT_MULTIPLIER/-DQUANT_SHIFT/-DZERO_POINT. */
#include <stdint.h>
#include "kws_frontend.h"

extern uint32_t _etext, _sdata, _edata, _sbss, _ebss, _stack_top;
int main(void);

static int semihost(int op, void *arg) {
  register int r0 __asm__("r0") = op;
  register void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

static void exit_with(int code) {
  uint32_t block[2] = {0x20026u, (uint32_t)code}; /* ADP_Stopped_ApplicationExit, status */
  semihost(0x20, block);
  for (;;) {}
}

void reset_handler(void) {
  uint32_t *src = &_etext, *dst = &_sdata;
  while (dst < &_edata) *dst++ = *src++;
  for (dst = &_sbss; dst < &_ebss; dst++) *dst = 0;
  exit_with(main());
}

__attribute__((section(".vectors"), used)) static const void *vectors[2] = {&_stack_top, (void *)reset_handler};

static int open_file(const char *name, int mode) {
  int len = 0;
  while (name[len]) len++;
  uint32_t args[3] = {(uint32_t)name, (uint32_t)mode, (uint32_t)len};
  return semihost(0x01, args);
}

static int16_t clip[KWS_CLIP_SAMPLES];
static int8_t features[KWS_FEATURES];
static kws_frontend_scratch_t scratch;

int main(void) {
  int in = open_file("clips.raw", 1 /* rb */), out = open_file("features.raw", 5 /* wb */);
  if (in < 0 || out < 0) return 3;
  for (;;) {
    uint32_t rd[3] = {(uint32_t)in, (uint32_t)clip, sizeof clip};
    int missing = semihost(0x06, rd);
    if (missing == (int)sizeof clip) return 0;
    if (missing != 0) return 4;
    if (kws_frontend(clip, KWS_CLIP_SAMPLES, features, &scratch, QUANT_MULTIPLIER, QUANT_SHIFT, ZERO_POINT) != 0) return 5;
    uint32_t wr[3] = {(uint32_t)out, (uint32_t)features, sizeof features};
    if (semihost(0x05, wr) != 0) return 6;
  }
}
