/* STM32L4R5 embedded flash (RM0432, the STM32L4+ reference manual, §3): the model slots are bank 2 (0x0810_0000,
 * model-slots.ld), so the code in bank 1 runs on while bank 2 is erased or programmed (read-while-write).
 *   Geometry (§3.3.1): dual-bank mode (option bit DBANK = 1, the factory default) has 256 pages of 4 KiB per
 *     bank; single-bank mode (DBANK = 0) has 8 KiB pages read 128 bits wide, which this driver refuses (the slot
 *     table, targets/boards/model-slot-layout.ts, is cut on 4 KiB pages in bank 2).
 *   Program (§3.3.7): 64-bit double-words, each with its own ECC, only into an erased double-word: PG set, the two
 *     words written in order (the second starts the program), BSY waited on. A second program of a double-word is
 *     refused (PROGERR); the slot code never asks for one (flash-driver.h: one program per 8-byte cell).
 *   Erase: PER + BKER (bank 2) + PNB (page in the bank) + STRT, BSY waited on.
 *   Errors: FLASH_SR's OPERR, PROGERR, WRPERR, PGAERR, SIZERR, PGSERR, MISERR, FASTERR (write 1 to clear), checked
 *     after each operation; EOP is set only with EOPIE, so it is cleared, not relied on.
 *   ECC on read: a double error sets FLASH_ECCR.ECCD and raises an NMI. A double-word whose program or erase a
 *     power cut stopped may read so; this driver's NMI handler counts and clears it, and `read` reports the bytes
 *     unreadable (-1), which the slot code takes as not written (model-slots.c).
 *   Data cache: the ART's data cache is off while the flash changes and reset after (ST's silicon errata: the
 *     data cache may be corrupted during a read-while-write operation), so reads see the flash itself.
 * The RM0432 text was not reachable here: the facts above were cross-checked against Zephyr's L4/L4+ flash driver
 * (drivers/flash/flash_stm32l4x.c: 4 KiB pages on L4R/L4S, erased check, PG and two word writes, PER/BKER/PNB/STRT,
 * the errata workaround) and ST's CMSIS register definitions (FLASH_ECCR ECCD bit 31, ECCC bit 30). Compiled by
 * the test suite; not yet run on silicon. */
#include <string.h>

#include "slot-flash.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define FLASH_R 0x40022000u
#define FLASH_ACR REG(FLASH_R + 0x00u)
#define FLASH_KEYR REG(FLASH_R + 0x08u)
#define FLASH_SR REG(FLASH_R + 0x10u)
#define FLASH_CR REG(FLASH_R + 0x14u)
#define FLASH_ECCR REG(FLASH_R + 0x18u)
#define FLASH_OPTR REG(FLASH_R + 0x20u)
#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu
#define ACR_DCEN (1u << 10)
#define ACR_DCRST (1u << 12)
#define CR_PG (1u << 0)
#define CR_PER (1u << 1)
#define CR_PNB(n) ((uint32_t)(n) << 3) /* 8 bits: the page within its bank */
#define CR_BKER (1u << 11)
#define CR_STRT (1u << 16)
#define CR_LOCK (1u << 31)
#define SR_EOP (1u << 0)
#define SR_BSY (1u << 16)
/* OPERR, PROGERR, WRPERR, PGAERR, SIZERR, PGSERR, MISERR, FASTERR. */
#define SR_ERRORS ((1u << 1) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8) | (1u << 9))
#define ECCR_ECCD (1u << 31)
#define ECCR_ECCC (1u << 30)
#define OPTR_DBANK (1u << 22)

#define FLASH_BASE 0x08000000u
#define BANK_BYTES (1024u * 1024u)
#define BANK2 (FLASH_BASE + BANK_BYTES)
#define PAGE_BYTES 4096u

static volatile uint32_t ecc_errors; /* double errors the NMI saw */

static int in_bank2(uint32_t addr, uint32_t len) { return addr >= BANK2 && addr - BANK2 <= BANK_BYTES && len <= BANK_BYTES - (addr - BANK2); }

static void unlock(void) {
  if (FLASH_CR & CR_LOCK) {
    FLASH_KEYR = KEY1;
    FLASH_KEYR = KEY2;
  }
}

static void wait_idle(void) {
  while (FLASH_SR & SR_BSY) {
  }
}

/* Unlocks, waits for any operation and clears old status flags; the data cache off (returned: was it on). */
static uint32_t begin(void) {
  unlock();
  wait_idle();
  FLASH_SR = SR_ERRORS | SR_EOP;
  uint32_t dcache = FLASH_ACR & ACR_DCEN;
  FLASH_ACR &= ~ACR_DCEN;
  return dcache;
}

/* Waits for the operation, clears `bits` in CR, locks, resets the data cache; 0 when no error flag was set. */
static int finish(uint32_t bits, uint32_t dcache) {
  wait_idle();
  uint32_t sr = FLASH_SR;
  FLASH_SR = sr & (SR_ERRORS | SR_EOP);
  FLASH_CR &= ~bits;
  FLASH_CR |= CR_LOCK;
  FLASH_ACR |= ACR_DCRST;
  FLASH_ACR &= ~ACR_DCRST;
  FLASH_ACR |= dcache;
  return (sr & SR_ERRORS) ? -1 : 0;
}

static int erase_page(tf_flash *f, uint32_t addr) {
  (void)f;
  if (addr % PAGE_BYTES != 0 || !in_bank2(addr, PAGE_BYTES)) return -1; /* the slots' bank only */
  uint32_t dcache = begin();
  FLASH_CR = (FLASH_CR & ~(CR_PNB(0xFFu) | CR_PG)) | CR_PER | CR_BKER | CR_PNB((addr - BANK2) / PAGE_BYTES);
  FLASH_CR |= CR_STRT;
  return finish(CR_PER | CR_BKER, dcache);
}

static int program_cell(tf_flash *f, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]) {
  (void)f;
  if (addr % TF_FLASH_CELL_BYTES != 0 || !in_bank2(addr, TF_FLASH_CELL_BYTES) || !tf_cell_erased(addr)) return -1;
  uint32_t dcache = begin();
  FLASH_CR |= CR_PG;
  volatile uint32_t *dword = (volatile uint32_t *)(uintptr_t)addr;
  dword[0] = tf_cell_word(data, 0);
  dword[1] = tf_cell_word(data, 1); /* the second word starts the program */
  __asm__ volatile("dsb" ::: "memory");
  return finish(CR_PG, dcache);
}

/* A copy; -1 when a double-word read had an uncorrectable ECC error (the NMI below counted it). */
static int read(tf_flash *f, uint32_t addr, uint8_t *out, uint32_t len) {
  (void)f;
  uint32_t before = ecc_errors;
  memcpy(out, (const uint8_t *)(uintptr_t)addr, len);
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  return ecc_errors == before ? 0 : -1;
}

/* The NMI: an ECC double error in flash is noted and cleared (the read that met it fails); any other NMI is a
 * fault, as in every other firmware (cortex-m/startup.c). */
void tf_fault_handler(void);
void nmi_handler(void);
void nmi_handler(void) {
  uint32_t eccr = FLASH_ECCR;
  if (!(eccr & ECCR_ECCD)) tf_fault_handler();
  FLASH_ECCR = eccr | ECCR_ECCD | ECCR_ECCC; /* write 1 to clear */
  ecc_errors++;
}

static tf_flash flash = {PAGE_BYTES, erase_page, program_cell, read, 0};

tf_flash *tf_board_flash(void) {
  /* Single-bank mode pages are 8 KiB and numbered across both banks: not the layout the slots were cut for. */
  if (!(FLASH_OPTR & OPTR_DBANK)) return 0;
  return &flash;
}
