/* QEMU mps2-an386: CMSDK APB UART0 at 0x40004000, exit through semihosting. */
#include "board.h"
#include "system-reset.h"
#include "dwt-cycles.h"
#include "semihosting-exit.h"

#define UART0 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0 + 0x00))
#define UART_STATE (*(volatile uint32_t *)(UART0 + 0x04))
#define UART_CTRL (*(volatile uint32_t *)(UART0 + 0x08))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0 + 0x10))

#define STATE_TX_FULL 1u
#define STATE_RX_FULL 2u

void board_init(void) {
  UART_BAUDDIV = 16; /* the minimum the CMSDK UART accepts; QEMU ignores the rate */
  UART_CTRL = 3u;    /* TX and RX enable */
  dwt_cycles_start();
}

void board_putc(uint8_t c) {
  while (UART_STATE & STATE_TX_FULL) {
  }
  UART_DATA = c;
}

uint8_t board_getc(void) {
  while (!(UART_STATE & STATE_RX_FULL)) {
  }
  return (uint8_t)UART_DATA;
}

uint32_t board_cycles(void) { return TF_DWT_CYCCNT; }

void board_exit(int code) {
  /* QEMU holds a byte in the UART until its host side took it; leaving earlier could lose the last bytes
   * when the host reads slowly. */
  while (UART_STATE & STATE_TX_FULL) {
  }
  semihosting_exit(code);
}

void board_reset(void) { cortex_m_system_reset(); }
