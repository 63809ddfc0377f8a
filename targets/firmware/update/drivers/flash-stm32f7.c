/* STM32F746 embedded flash (RM0385 §3.3-3.7): the model slots are sectors 6 and 7 (256 KiB each, model-slots.ld).
 * Erase: SER + SNB + STRT; program: PG with PSIZE = x32, one word at a time. The F746 is single-bank, so the
 * CPU stalls on flash reads while a sector erases (about 2 s for 256 KiB) — code keeps running, just waits.
 * The firmware enables no data cache, so reads after a write see the new bytes. Compiled by the test suite;
 * not yet run on silicon. */
#include "slot-flash.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define FLASH_R 0x40023C00u
#define FLASH_KEYR REG(FLASH_R + 0x04u)
#define FLASH_SR REG(FLASH_R + 0x0Cu)
#define FLASH_CR REG(FLASH_R + 0x10u)
#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu
#define CR_PG (1u << 0)
#define CR_SER (1u << 1)
#define CR_SNB(n) ((uint32_t)(n) << 3)
#define CR_PSIZE_X32 (2u << 8)
#define CR_STRT (1u << 16)
#define CR_LOCK (1u << 31)
#define SR_BSY (1u << 16)
#define SR_ERRORS 0xF2u /* ERSERR, PGPERR, PGAERR, WRPERR, OPERR */

#define FLASH_BASE 0x08000000u
#define SECTOR_BYTES (256u * 1024u) /* sectors 5..7, where the slots are */

static void unlock(void) {
  if (FLASH_CR & CR_LOCK) {
    FLASH_KEYR = KEY1;
    FLASH_KEYR = KEY2;
  }
}

/* Waits for the operation, locks the controller again and clears the status; 0 when it succeeded. */
static int finish(void) {
  while (FLASH_SR & SR_BSY) {
  }
  uint32_t sr = FLASH_SR;
  FLASH_SR = sr & (SR_ERRORS | 1u); /* write-1-to-clear, EOP included */
  FLASH_CR = CR_LOCK;
  return (sr & SR_ERRORS) ? -1 : 0;
}

/* Sectors 0-3: 32 KiB, 4: 128 KiB, 5-7: 256 KiB. */
static int sector_of(uint32_t addr) {
  uint32_t off = addr - FLASH_BASE;
  if (off < 0x20000u) return (int)(off / 0x8000u);
  if (off < 0x40000u) return 4;
  if (off < 0x100000u) return 5 + (int)((off - 0x40000u) / SECTOR_BYTES);
  return -1;
}

static int erase_page(tf_flash *f, uint32_t addr) {
  (void)f;
  int sector = sector_of(addr);
  if (sector < 5 || (addr - FLASH_BASE - 0x40000u) % SECTOR_BYTES != 0) return -1; /* only the 256 KiB sectors */
  unlock();
  FLASH_CR = CR_SER | CR_SNB(sector) | CR_PSIZE_X32;
  FLASH_CR |= CR_STRT;
  return finish();
}

static int program_word(uint32_t addr, uint32_t value) {
  unlock();
  FLASH_CR = CR_PG | CR_PSIZE_X32;
  *(volatile uint32_t *)(uintptr_t)addr = value;
  __asm__ volatile("dsb" ::: "memory");
  return finish();
}

/* A slot cell is two x32 programs; once, from erased (flash-driver.h). */
static int program_cell(tf_flash *f, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]) {
  (void)f;
  if (addr % TF_FLASH_CELL_BYTES != 0 || sector_of(addr) < 0) return -1;
  return tf_program_cell_by_words(addr, data, program_word);
}

static tf_flash flash = {SECTOR_BYTES, erase_page, program_cell, tf_flash_read_mapped, 0};

tf_flash *tf_board_flash(void) { return &flash; }
