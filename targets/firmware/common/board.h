/* What main.c needs from a board: a byte-wide serial port, a cycle counter and a way to stop.
 * Each board directory implements these in its board.c; nothing else in the firmware touches hardware. */
#ifndef TF_BOARD_H
#define TF_BOARD_H

#include <stdint.h>

/* Called by the startup before the RAM setup, where a board needs it (RISC-V startup; a weak no-op otherwise). */
void board_early_init(void);
void board_init(void);
void board_putc(uint8_t c);
/* Blocks until a byte arrives. */
uint8_t board_getc(void);
/* Free-running cycle counter; 0 where the core (or the emulator) has none. */
uint32_t board_cycles(void);
/* Ends the program: an emulator exits with `code`, a real board parks the core. */
void board_exit(int code) __attribute__((noreturn));
/* Restarts the chip from its reset vector (a model update reboots into its new slot this way). */
void board_reset(void) __attribute__((noreturn));
/* Stack bytes touched since reset (the startup code paints the stack). */
uint32_t board_stack_used(void);

#endif
