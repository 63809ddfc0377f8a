/* nRF52840-DK: the J-Link virtual COM port is wired to P0.06 (TX) and P0.08 (RX); UART0, 115200 8N1. */
#include "board.h"
#include "system-reset.h"
#include "dwt-cycles.h"
#include "park.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define UART0 0x40002000u
#define UART_STARTRX REG(UART0 + 0x000)
#define UART_STARTTX REG(UART0 + 0x008)
#define UART_RXDRDY REG(UART0 + 0x108)
#define UART_TXDRDY REG(UART0 + 0x11C)
#define UART_ENABLE REG(UART0 + 0x500)
#define UART_PSEL_RTS REG(UART0 + 0x508)
#define UART_PSEL_TXD REG(UART0 + 0x50C)
#define UART_PSEL_CTS REG(UART0 + 0x510)
#define UART_PSEL_RXD REG(UART0 + 0x514)
#define UART_RXD REG(UART0 + 0x518)
#define UART_TXD REG(UART0 + 0x51C)
#define UART_BAUDRATE REG(UART0 + 0x524)
#define UART_CONFIG REG(UART0 + 0x56C)

#define PIN_DISCONNECTED 0xFFFFFFFFu

void board_init(void) {
  UART_PSEL_TXD = 6;
  UART_PSEL_RXD = 8;
  UART_PSEL_RTS = PIN_DISCONNECTED;
  UART_PSEL_CTS = PIN_DISCONNECTED;
  UART_BAUDRATE = 0x01D7E000u; /* 115200 */
  UART_CONFIG = 0;             /* no parity, no flow control */
  UART_ENABLE = 4;             /* legacy (non-DMA) UART */
  UART_STARTTX = 1;
  UART_STARTRX = 1;
  dwt_cycles_start();
}

void board_putc(uint8_t c) {
  UART_TXDRDY = 0;
  UART_TXD = c;
  while (!UART_TXDRDY) {
  }
}

uint8_t board_getc(void) {
  while (!UART_RXDRDY) {
  }
  UART_RXDRDY = 0;
  return (uint8_t)UART_RXD;
}

uint32_t board_cycles(void) { return TF_DWT_CYCCNT; }

void board_exit(int code) { park_with_status(code); }

void board_reset(void) { cortex_m_system_reset(); }
