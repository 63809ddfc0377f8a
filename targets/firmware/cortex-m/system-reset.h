/* A system reset through the Armv7-M AIRCR (SYSRESETREQ): the whole chip restarts from its reset vector. */
#ifndef TF_SYSTEM_RESET_H
#define TF_SYSTEM_RESET_H

static inline __attribute__((noreturn)) void cortex_m_system_reset(void) {
  __asm__ volatile("dsb" ::: "memory");
  *(volatile unsigned *)0xE000ED0Cu = 0x05FA0004u; /* VECTKEY | SYSRESETREQ */
  __asm__ volatile("dsb" ::: "memory");
  for (;;) {
  }
}

#endif
