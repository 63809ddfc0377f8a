/* nRF52840 NVMC (Product Specification §4.3): 4 KiB pages, 32-bit word writes. CONFIG selects read-only, write
 * or erase; each operation completes when READY reads 1. The CPU halts on flash fetches while the NVMC works,
 * so code runs on from flash. Compiled by the test suite; not yet run on silicon. */
#include "slot-flash.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define NVMC 0x4001E000u
#define NVMC_READY REG(NVMC + 0x400u)
#define NVMC_CONFIG REG(NVMC + 0x504u)
#define NVMC_ERASEPAGE REG(NVMC + 0x508u)
#define CONFIG_REN 0u
#define CONFIG_WEN 1u
#define CONFIG_EEN 2u
#define PAGE_BYTES 4096u
#define FLASH_BYTES (1024u * 1024u)

static void wait_ready(void) {
  while (!(NVMC_READY & 1u)) {
  }
}

static int erase_page(tf_flash *f, uint32_t addr) {
  (void)f;
  if (addr % PAGE_BYTES != 0 || addr >= FLASH_BYTES) return -1;
  NVMC_CONFIG = CONFIG_EEN;
  wait_ready();
  NVMC_ERASEPAGE = addr;
  wait_ready();
  NVMC_CONFIG = CONFIG_REN;
  wait_ready();
  return 0;
}

static int program_word(uint32_t addr, uint32_t value) {
  NVMC_CONFIG = CONFIG_WEN;
  wait_ready();
  *(volatile uint32_t *)(uintptr_t)addr = value;
  wait_ready();
  NVMC_CONFIG = CONFIG_REN;
  wait_ready();
  /* The NVMC reports no error: check the word as written. */
  return *(volatile uint32_t *)(uintptr_t)addr == value ? 0 : -1;
}

/* A slot cell is two word programs; once, from erased (flash-driver.h). */
static int program_cell(tf_flash *f, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]) {
  (void)f;
  if (addr % TF_FLASH_CELL_BYTES != 0 || addr >= FLASH_BYTES) return -1;
  return tf_program_cell_by_words(addr, data, program_word);
}

static tf_flash flash = {PAGE_BYTES, erase_page, program_cell, tf_flash_read_mapped, 0};

tf_flash *tf_board_flash(void) { return &flash; }
