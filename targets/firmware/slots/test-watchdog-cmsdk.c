/* Test-only (slot-firmware.ts, trialFailure 'watchdog', qemu-mps2-an386): a trial that hangs under an armed CMSDK
 * APB watchdog (0x40008000, modelled by QEMU's mps2 machines). Its first expiry raises the NMI, which this build
 * leaves unserviced; the second one resets the chip — the watchdog's own reset, not the firmware's. */
#include <stdint.h>

#include "board.h"
#include "selftest.h"

#define WDOG_BASE 0x40008000u
#define WDOG_LOAD (*(volatile uint32_t *)(WDOG_BASE + 0x000))
#define WDOG_CONTROL (*(volatile uint32_t *)(WDOG_BASE + 0x008))
#define WDOG_LOCK (*(volatile uint32_t *)(WDOG_BASE + 0xC00))
#define WDOG_UNLOCK_KEY 0x1ACCE551u
#define WDOG_INTEN_RESEN 3u

/* 20 ms at the 25 MHz WDOGCLK, twice: the reset comes 40 ms after the trial hangs. */
#define WDOG_TICKS 500000u

void tf_test_watchdog_hang(tf_putc_fn put) {
  tf_put_text(put, "slots: test build: watchdog armed, trial hangs\n");
  WDOG_LOCK = WDOG_UNLOCK_KEY;
  WDOG_LOAD = WDOG_TICKS;
  WDOG_CONTROL = WDOG_INTEN_RESEN;
  WDOG_LOCK = 0;
  for (;;) {
  }
}

/* The first expiry: a hung firmware would not feed the watchdog either; wait here for its reset. */
void nmi_handler(void) {
  tf_put_text(board_putc, "watchdog: first expiry (NMI) not serviced, waiting for its reset\n");
  for (;;) {
  }
}
