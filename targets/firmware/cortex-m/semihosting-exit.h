/* Ends a QEMU run with an exit status via Arm semihosting SYS_EXIT_EXTENDED (needs -semihosting-config enable=on). */
#ifndef TF_SEMIHOSTING_EXIT_H
#define TF_SEMIHOSTING_EXIT_H

static inline __attribute__((noreturn)) void semihosting_exit(int code) {
  /* ADP_Stopped_ApplicationExit, then the status QEMU exits with. */
  volatile unsigned block[2] = {0x20026u, (unsigned)code};
  register unsigned r0 __asm__("r0") = 0x20u;
  register volatile unsigned *r1 __asm__("r1") = block;
  __asm__ volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
  for (;;) __asm__ volatile("wfi");
}

#endif
