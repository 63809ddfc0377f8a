/* Cortex-M reset: the vector table, RAM initialization, FPU enable and the call to main.
 * No interrupts are used, so the table stops after the 16 core exceptions. */
#include <stdint.h>

#include "board.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_limit[], __stack_top[];

int main(void);

#define STACK_PAINT 0xA5A5A5A5u

__attribute__((noreturn)) void reset_handler(void) {
  /* Paint the stack below the current frame so board_stack_used() can find the high-water mark. */
  uint32_t *sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t *p = __stack_limit; p < sp - 16; p++) *p = STACK_PAINT;
  for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
  for (uint32_t *d = __bss_start; d < __bss_end;) *d++ = 0;
#if defined(__ARM_FP)
  /* CPACR: full access to CP10 and CP11, else the first float instruction faults. */
  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  board_exit(main());
}

uint32_t board_stack_used(void) {
  const uint32_t *p = __stack_limit;
  while (p < __stack_top && *p == STACK_PAINT) p++;
  return (uint32_t)((const uint8_t *)__stack_top - (const uint8_t *)p);
}

static void put_text(const char *s) {
  while (*s) board_putc((uint8_t)*s++);
}

/* A slot firmware on trial overrides it to reset the chip, so that the next boot rolls the untried model back. */
__attribute__((weak)) void tf_on_fault(void) {}

/* Any fault ends the run with a message and exit code 3 instead of a silent hang. Not static: a board's own NMI
 * handler (the L4R5 flash driver's, for ECC errors) hands every other NMI to it. */
__attribute__((noreturn)) void tf_fault_handler(void);
__attribute__((noreturn)) void tf_fault_handler(void) {
  put_text("\nFAULT: the core took an exception\n");
  tf_on_fault();
  board_exit(3);
}

/* The NMI (on mps2 boards, the CMSDK watchdog's first expiry) is a fault unless the firmware handles it. */
void nmi_handler(void) __attribute__((weak, noreturn, alias("tf_fault_handler")));

__attribute__((section(".vectors"), used)) void (*const tf_vector_table[16])(void) = {
    (void (*)(void))__stack_top, reset_handler, nmi_handler, tf_fault_handler, tf_fault_handler, tf_fault_handler,
    tf_fault_handler, 0, 0, 0, 0, tf_fault_handler, tf_fault_handler, 0, tf_fault_handler, tf_fault_handler,
};
