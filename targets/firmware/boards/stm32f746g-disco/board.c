/* STM32F746G-DISCO: the ST-LINK virtual COM port is USART1, TX on PA9, RX on PB7 (AF7).
 * Runs on the reset clock (HSI 16 MHz); 115200 8N1. */
#include "board.h"
#include "system-reset.h"
#include "dwt-cycles.h"
#include "park.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define RCC 0x40023800u
#define RCC_AHB1ENR REG(RCC + 0x30)
#define RCC_APB2ENR REG(RCC + 0x44)
#define GPIOA 0x40020000u
#define GPIOB 0x40020400u
#define USART1 0x40011000u
#define USART_CR1 REG(USART1 + 0x00)
#define USART_BRR REG(USART1 + 0x0C)
#define USART_ISR REG(USART1 + 0x1C)
#define USART_ICR REG(USART1 + 0x20)
#define USART_RDR REG(USART1 + 0x24)
#define USART_TDR REG(USART1 + 0x28)

#define CLOCK_HZ 16000000u
#define BAUD 115200u

void board_init(void) {
  RCC_AHB1ENR |= 3u;      /* GPIOAEN, GPIOBEN */
  RCC_APB2ENR |= 1u << 4; /* USART1EN */
  REG(GPIOA + 0x00) = (REG(GPIOA + 0x00) & ~(3u << 18)) | (2u << 18); /* PA9 alternate function */
  REG(GPIOA + 0x24) = (REG(GPIOA + 0x24) & ~(0xFu << 4)) | (7u << 4);
  REG(GPIOB + 0x00) = (REG(GPIOB + 0x00) & ~(3u << 14)) | (2u << 14); /* PB7 alternate function */
  REG(GPIOB + 0x20) = (REG(GPIOB + 0x20) & ~(0xFu << 28)) | (7u << 28);
  USART_BRR = (CLOCK_HZ + BAUD / 2) / BAUD; /* oversampling by 16 */
  USART_CR1 = (1u << 3) | (1u << 2) | 1u;   /* TE, RE, UE */
  dwt_cycles_start();
}

void board_putc(uint8_t c) {
  while (!(USART_ISR & (1u << 7))) { /* TXE */
  }
  USART_TDR = c;
}

uint8_t board_getc(void) {
  for (;;) {
    uint32_t isr = USART_ISR;
    if (isr & (1u << 5)) return (uint8_t)USART_RDR; /* RXNE */
    if (isr & (1u << 3)) USART_ICR = 1u << 3;       /* clear an overrun so reception continues */
  }
}

uint32_t board_cycles(void) { return TF_DWT_CYCCNT; }

void board_exit(int code) { park_with_status(code); }

void board_reset(void) { cortex_m_system_reset(); }
