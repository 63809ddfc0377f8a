/* The Cortex-M3/M4/M7 DWT cycle counter (QEMU implements the registers but the count stays 0). */
#ifndef TF_DWT_CYCLES_H
#define TF_DWT_CYCLES_H

#include <stdint.h>

#define TF_DEMCR (*(volatile uint32_t *)0xE000EDFCu)
#define TF_DWT_CTRL (*(volatile uint32_t *)0xE0001000u)
#define TF_DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)

static inline void dwt_cycles_start(void) {
  TF_DEMCR |= 1u << 24; /* TRCENA */
  TF_DWT_CYCCNT = 0;
  TF_DWT_CTRL |= 1u; /* CYCCNTENA */
}

#endif
