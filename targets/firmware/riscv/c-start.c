/* RISC-V C-level startup: stack painting, .data copy, .bss clear, main; and the trap report. */
#include <stdint.h>

#include "board.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_limit[], __stack_top[];

int main(void);

#define STACK_PAINT 0xA5A5A5A5u

/* Hardware that must be handled before anything else (the ESP32-C3's watchdogs); nothing on QEMU. */
__attribute__((weak)) void board_early_init(void) {}

__attribute__((noreturn)) void riscv_c_start(void) {
  board_early_init();
  uint32_t *sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  for (uint32_t *p = __stack_limit; p < sp - 16; p++) *p = STACK_PAINT;
  for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
  for (uint32_t *d = __bss_start; d < __bss_end;) *d++ = 0;
  board_exit(main());
}

uint32_t board_stack_used(void) {
  const uint32_t *p = __stack_limit;
  while (p < __stack_top && *p == STACK_PAINT) p++;
  return (uint32_t)((const uint8_t *)__stack_top - (const uint8_t *)p);
}

/* A slot firmware on trial overrides it to reset the chip, so that the next boot rolls the untried model back. */
__attribute__((weak)) void tf_on_fault(void) {}

/* Any trap ends the run with a message and exit code 3 instead of a silent hang. */
__attribute__((noreturn)) void riscv_trap(void) {
  static const char text[] = "\nFAULT: the core took a trap\n";
  for (const char *s = text; *s; s++) board_putc((uint8_t)*s);
  tf_on_fault();
  board_exit(3);
}
