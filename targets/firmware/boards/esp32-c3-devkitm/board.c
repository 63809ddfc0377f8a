/* ESP32-C3-DevKitM-1, bare metal. The on-board USB-UART bridge is wired to UART0 (GPIO21 TX, GPIO20 RX), which
 * the ROM has already set to 115200 8N1 for its boot messages; this code only moves bytes through the FIFO
 * registers and never touches clocks, so that setting stays valid.
 *
 * Registers (ESP32-C3 Technical Reference Manual; ESP-IDF soc/esp32c3 register headers):
 *   UART0        0x60000000  FIFO +0x00 (byte in/out), STATUS +0x1C (RXFIFO_CNT [9:0], TXFIFO_CNT [25:16])
 *   RTC_CNTL     0x60008000  WDTCONFIG0 +0x90 (WDT_EN bit 31, FLASHBOOT_MOD_EN bit 12), WDTWPROTECT +0xA8,
 *                            SWD_CONF +0xAC (SWD_AUTO_FEED_EN bit 31), SWD_WPROTECT +0xB0
 *   TIMG0/TIMG1  0x6001F000 / 0x60020000  WDTCONFIG0 +0x48 (WDT_EN bit 31, WDT_CONF_UPDATE_EN bit 22,
 *                            FLASHBOOT_MOD_EN bit 14), WDTWPROTECT +0x64
 *   write-protect keys: 0x50D83AA1 (RTC WDT, MWDTs), 0x8F1D312A (super WDT); writing anything else re-locks.
 *   cycle counter: custom CSRs mpcer 0x7E0 (event: 1 = cycles), mpcmr 0x7E1 (1 = count), mpccr 0x7E2 (count);
 *   the C3 core has no standard mcycle. */
#include "board.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define UART0_FIFO REG(0x60000000u)
#define UART0_STATUS REG(0x6000001Cu)
#define UART_FIFO_BYTES 128u
#define RXFIFO_CNT(status) ((status) & 0x3FFu)
#define TXFIFO_CNT(status) (((status) >> 16) & 0x3FFu)

#define RTC_CNTL 0x60008000u
#define RTC_WDTCONFIG0 REG(RTC_CNTL + 0x90u)
#define RTC_WDTWPROTECT REG(RTC_CNTL + 0xA8u)
#define RTC_SWD_CONF REG(RTC_CNTL + 0xACu)
#define RTC_SWD_WPROTECT REG(RTC_CNTL + 0xB0u)
#define RTC_WDT_EN (1u << 31)
#define RTC_WDT_FLASHBOOT_MOD_EN (1u << 12)
#define SWD_AUTO_FEED_EN (1u << 31)

#define TIMG_WDTCONFIG0(base) REG((base) + 0x48u)
#define TIMG_WDTWPROTECT(base) REG((base) + 0x64u)
#define TIMG_WDT_EN (1u << 31)
#define TIMG_WDT_CONF_UPDATE_EN (1u << 22)
#define TIMG_WDT_FLASHBOOT_MOD_EN (1u << 14)

#define WDT_WKEY 0x50D83AA1u
#define SWD_WKEY 0x8F1D312Au

static void disable_timg_wdt(uint32_t base) {
  TIMG_WDTWPROTECT(base) = WDT_WKEY;
  TIMG_WDTCONFIG0(base) &= ~(TIMG_WDT_EN | TIMG_WDT_FLASHBOOT_MOD_EN);
  /* The MWDT takes a new configuration only when told to. */
  TIMG_WDTCONFIG0(base) |= TIMG_WDT_CONF_UPDATE_EN;
  TIMG_WDTWPROTECT(base) = 0;
}

/* Called by the startup before RAM setup: the ROM leaves the RTC WDT and MWDT0 armed in flash-boot mode, and
 * the super WDT resets the chip unless fed. A self-test and a serving loop outlast all of them. */
void board_early_init(void) {
  RTC_WDTWPROTECT = WDT_WKEY;
  RTC_WDTCONFIG0 &= ~(RTC_WDT_EN | RTC_WDT_FLASHBOOT_MOD_EN);
  RTC_WDTWPROTECT = 0;
  RTC_SWD_WPROTECT = SWD_WKEY;
  RTC_SWD_CONF |= SWD_AUTO_FEED_EN;
  RTC_SWD_WPROTECT = 0;
  disable_timg_wdt(0x6001F000u);
  disable_timg_wdt(0x60020000u);
}

void board_init(void) {
  __asm__ volatile("csrw 0x7E0, %0\n\tcsrw 0x7E1, %0" ::"r"(1u));
}

void board_putc(uint8_t c) {
  while (TXFIFO_CNT(UART0_STATUS) >= UART_FIFO_BYTES) {
  }
  UART0_FIFO = c;
}

uint8_t board_getc(void) {
  while (RXFIFO_CNT(UART0_STATUS) == 0) {
  }
  return (uint8_t)UART0_FIFO;
}

uint32_t board_cycles(void) {
  uint32_t c;
  __asm__ volatile("csrr %0, 0x7E2" : "=r"(c));
  return c;
}

void board_exit(int code) {
  (void)code;
  /* Let the FIFO drain so the last answer reaches the host, then park (the watchdogs are off). */
  while (TXFIFO_CNT(UART0_STATUS) != 0) {
  }
  for (;;) __asm__ volatile("wfi");
}

/* RTC_CNTL_OPTIONS0 bit 31, SW_SYS_RST: the digital system and CPU restart, the ROM boots the image again. */
void board_reset(void) {
  REG(RTC_CNTL + 0x00u) |= 1u << 31;
  for (;;) {
  }
}
