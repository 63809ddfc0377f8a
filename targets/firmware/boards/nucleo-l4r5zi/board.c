/* NUCLEO-L4R5ZI: the ST-LINK virtual COM port is LPUART1 on PG7 (TX) / PG8 (RX), AF8.
 * Runs on the reset clock (MSI 4 MHz); 115200 8N1. */
#include "board.h"
#include "system-reset.h"
#include "dwt-cycles.h"
#include "park.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define RCC 0x40021000u
#define RCC_AHB2ENR REG(RCC + 0x4C)
#define RCC_APB1ENR1 REG(RCC + 0x58)
#define RCC_APB1ENR2 REG(RCC + 0x5C)
#define PWR_CR2 REG(0x40007000u + 0x04)
#define GPIOG 0x48001800u
#define GPIOG_MODER REG(GPIOG + 0x00)
#define GPIOG_AFRL REG(GPIOG + 0x20)
#define GPIOG_AFRH REG(GPIOG + 0x24)
#define LPUART1 0x40008000u
#define LPUART_CR1 REG(LPUART1 + 0x00)
#define LPUART_BRR REG(LPUART1 + 0x0C)
#define LPUART_ISR REG(LPUART1 + 0x1C)
#define LPUART_RDR REG(LPUART1 + 0x24)
#define LPUART_TDR REG(LPUART1 + 0x28)

#define CLOCK_HZ 4000000u
#define BAUD 115200u

void board_init(void) {
  RCC_APB1ENR1 |= 1u << 28; /* PWREN */
  PWR_CR2 |= 1u << 9;       /* IOSV: port G pins 2..15 are powered from VDDIO2, off until this is set */
  RCC_AHB2ENR |= 1u << 6;   /* GPIOGEN */
  RCC_APB1ENR2 |= 1u << 0;  /* LPUART1EN */
  GPIOG_MODER = (GPIOG_MODER & ~((3u << 14) | (3u << 16))) | (2u << 14) | (2u << 16);
  GPIOG_AFRL = (GPIOG_AFRL & ~(0xFu << 28)) | (8u << 28);
  GPIOG_AFRH = (GPIOG_AFRH & ~0xFu) | 8u;
  /* The low-power UART divides by 256 × clock / baud. */
  LPUART_BRR = (uint32_t)(((uint64_t)CLOCK_HZ * 256u + BAUD / 2) / BAUD);
  LPUART_CR1 = (1u << 3) | (1u << 2) | 1u; /* TE, RE, UE */
  dwt_cycles_start();
}

void board_putc(uint8_t c) {
  while (!(LPUART_ISR & (1u << 7))) { /* TXE */
  }
  LPUART_TDR = c;
}

uint8_t board_getc(void) {
  for (;;) {
    uint32_t isr = LPUART_ISR;
    if (isr & (1u << 5)) return (uint8_t)LPUART_RDR; /* RXNE */
    if (isr & (1u << 3)) REG(LPUART1 + 0x20) = 1u << 3; /* ICR: clear an overrun so reception continues */
  }
}

uint32_t board_cycles(void) { return TF_DWT_CYCCNT; }

void board_exit(int code) { park_with_status(code); }

void board_reset(void) { cortex_m_system_reset(); }
