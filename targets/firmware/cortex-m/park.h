/* A real board has nowhere to exit to: announce the status on the serial port and sleep. */
#ifndef TF_PARK_H
#define TF_PARK_H

#include "board.h"

static inline __attribute__((noreturn)) void park_with_status(int code) {
  static const char text[] = "\nexit ";
  for (const char *s = text; *s; s++) board_putc((uint8_t)*s);
  unsigned v = code < 0 ? 0u - (unsigned)code : (unsigned)code;
  if (code < 0) board_putc('-');
  char digits[10];
  int n = 0;
  do digits[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n > 0) board_putc((uint8_t)digits[--n]);
  board_putc('\n');
  for (;;) __asm__ volatile("wfi");
}

#endif
