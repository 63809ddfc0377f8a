/* ESP32-C3 SPI flash for the model slots (bare metal, no ESP-IDF): the chip ROM's own SPI flash functions, called at
 * their ROM addresses, and the cache MMU that maps the slots onto the data bus for reading in place.
 *
 * Where the slots are: flash offsets 0x20_0000 and 0x30_0000 of the 4 MB flash (targets/boards/model-slot-layout.ts),
 * read at 0x3C20_0000 and 0x3C30_0000 (the slot firmware's MODEL_SLOT_A/B). The data bus sees flash only through the
 * cache and its MMU: 64 KiB pages from 0x3C00_0000 (ESP-IDF soc/esp32c3 ext_mem_defs.h: SOC_DRAM0_CACHE_ADDRESS_LOW
 * 0x3C00_0000, MMU page 64 KiB, SOC_MMU_ACCESS_FLASH 0). The ROM loads this image into SRAM itself and maps nothing
 * for it, so tf_board_flash() maps the 32 pages of both slots (virtual = 0x3C00_0000 + flash offset) before the slot
 * code reads them, as ESP-IDF's bootloader maps its app: ICache suspended, Cache_Dbus_MMU_Set, the data bus
 * unmasked (EXTMEM_ICACHE_CTRL1 SHUT_DBUS cleared), the cache invalidated, resumed.
 *
 * Writing: the ROM's legacy SPI flash API (ESP-IDF components/esp_rom/include/esp32c3/rom/spi_flash.h, wrapped by
 * esp_rom_spiflash.h) takes flash offsets: erase_sector(sector number, 4 KiB sectors), write(offset, 32-bit words,
 * length a multiple of 4), unlock() clears the status register's block protection. They return 0 (ESP_ROM_SPIFLASH_
 * RESULT_OK) on success. The cache is suspended while they drive the flash (the cache and the ROM's SPI1 share
 * the chip; this code and everything it touches meanwhile are in SRAM).
 *
 * Flash size: the ROM's erase and write refuse a sector beyond the chip size in its flash record
 * (rom_spiflash_legacy_data->chip, whose pointer the ROM keeps at 0x3FCD_FFF0), which ESP-IDF's second-stage
 * bootloader sets from the image header (esp_rom_spiflash_config_param). This image is booted by the ROM directly,
 * so tf_board_flash() sets it the same way: the flash ends where slot B does (4 MB), 64 KiB blocks, 4 KiB
 * sectors, 256-byte pages, status mask 0xFFFF.
 *
 * Read-after-write: a read through the cache can return the bytes a line held before an erase or a program,
 * because the ROM writes the flash around the cache. So the driver's `read` (state cells, headers, the SHA-256 and
 * signature check of a just-written slot) goes through the ROM's esp_rom_spiflash_read, which reads the flash
 * itself, and after every erase and program the affected range is invalidated in the cache
 * (Cache_Invalidate_Addr on its virtual address), so that reads in place — the erased-cell check before a program,
 * the interpreter's weights — see the same bytes.
 *
 * ROM addresses (ESP-IDF components/esp_rom/esp32c3/ld/esp32c3.rom.ld, ECO 0 and later; the same in esp-rs's
 * esp-storage src/esp32c3.rs for the four flash functions):
 *   esp_rom_spiflash_erase_sector 0x4000_0128   esp_rom_spiflash_write 0x4000_012C
 *   esp_rom_spiflash_read         0x4000_0130   esp_rom_spiflash_config_param 0x4000_0134
 *   esp_rom_spiflash_unlock       0x4000_0140   rom_spiflash_legacy_data (data: a pointer) 0x3FCD_FFF0
 *   Cache_Invalidate_Addr 0x4000_04D4   Cache_Invalidate_ICache_All 0x4000_04D8
 *   Cache_Suspend_ICache  0x4000_0524   Cache_Resume_ICache         0x4000_0528   Cache_Dbus_MMU_Set 0x4000_0564
 * Signatures: ESP-IDF esp32c3/rom/spi_flash.h and esp32c3/rom/cache.h.
 *
 * Compiled and linked by the test suite (tests/update/slot-flash-esp32c3.test.ts checks these addresses in the ELF);
 * not yet run on silicon: no emulator here runs an ESP32-C3. */
#include <string.h>

#include "slot-flash.h"

/* A ROM function: a global absolute symbol at its ROM address, so calls go there and the ELF names them. */
#define ROM_FUNCTION(name, address) __asm__(".globl " #name "\n.set " #name ", " #address)
ROM_FUNCTION(esp_rom_spiflash_erase_sector, 0x40000128);
ROM_FUNCTION(esp_rom_spiflash_write, 0x4000012c);
ROM_FUNCTION(esp_rom_spiflash_read, 0x40000130);
ROM_FUNCTION(esp_rom_spiflash_config_param, 0x40000134);
ROM_FUNCTION(esp_rom_spiflash_unlock, 0x40000140);
ROM_FUNCTION(Cache_Invalidate_Addr, 0x400004d4);
ROM_FUNCTION(Cache_Invalidate_ICache_All, 0x400004d8);
ROM_FUNCTION(Cache_Suspend_ICache, 0x40000524);
ROM_FUNCTION(Cache_Resume_ICache, 0x40000528);
ROM_FUNCTION(Cache_Dbus_MMU_Set, 0x40000564);

int esp_rom_spiflash_erase_sector(uint32_t sector_num);
int esp_rom_spiflash_write(uint32_t dest_addr, const uint32_t *src, int32_t len);
int esp_rom_spiflash_read(uint32_t src_addr, uint32_t *dest, int32_t len);
int esp_rom_spiflash_config_param(uint32_t device_id, uint32_t chip_size, uint32_t block_size, uint32_t sector_size, uint32_t page_size, uint32_t status_mask);
int esp_rom_spiflash_unlock(void);

/* The ROM's flash record (esp_rom_spiflash_chip_t), through the pointer it keeps at 0x3FCD_FFF0. */
typedef struct {
  uint32_t device_id, chip_size, block_size, sector_size, page_size, status_mask;
} rom_spiflash_chip;
#define ROM_SPIFLASH_CHIP (*(rom_spiflash_chip *const volatile *)0x3FCDFFF0u)
int Cache_Invalidate_Addr(uint32_t addr, uint32_t size);
void Cache_Invalidate_ICache_All(void);
uint32_t Cache_Suspend_ICache(void);
void Cache_Resume_ICache(uint32_t autoload);
int Cache_Dbus_MMU_Set(uint32_t ext_ram, uint32_t vaddr, uint32_t paddr, uint32_t psize, uint32_t num, uint32_t fixed);

#define REG(addr) (*(volatile uint32_t *)(addr))
#define EXTMEM_ICACHE_CTRL1 REG(0x600C4004u) /* DR_REG_EXTMEM_BASE + 0x4 */
#define ICACHE_SHUT_DBUS (1u << 1)

#define DBUS_FLASH_BASE 0x3C000000u /* virtual address of flash offset 0 as this driver maps it */
#define MMU_PAGE_BYTES 0x10000u
#define MMU_ACCESS_FLASH 0u
#define SECTOR_BYTES 4096u
#define FLASH_BYTES (4u * 1024u * 1024u)

extern const uint8_t __tf_slot_a[], __tf_slot_b[], __tf_slot_bytes[];

static int unlocked;

/* The flash offset of a slot address; -1 outside the mapped window. */
static int64_t offset_of(uint32_t addr, uint32_t len) {
  if (addr < DBUS_FLASH_BASE || addr - DBUS_FLASH_BASE > FLASH_BYTES || len > FLASH_BYTES - (addr - DBUS_FLASH_BASE)) return -1;
  return (int64_t)(addr - DBUS_FLASH_BASE);
}

static int erase_page(tf_flash *f, uint32_t addr) {
  (void)f;
  int64_t at = offset_of(addr, SECTOR_BYTES);
  if (!unlocked || at < 0 || at % SECTOR_BYTES != 0) return -1;
  uint32_t autoload = Cache_Suspend_ICache();
  int rc = esp_rom_spiflash_erase_sector((uint32_t)at / SECTOR_BYTES);
  Cache_Resume_ICache(autoload);
  Cache_Invalidate_Addr(addr, SECTOR_BYTES);
  return rc == 0 ? 0 : -1;
}

static int program_cell(tf_flash *f, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]) {
  (void)f;
  int64_t at = offset_of(addr, TF_FLASH_CELL_BYTES);
  if (!unlocked || at < 0 || at % TF_FLASH_CELL_BYTES != 0 || !tf_cell_erased(addr)) return -1;
  /* The ROM takes whole 32-bit words from word-aligned memory in SRAM (the caller's bytes may be neither). */
  uint32_t words[TF_FLASH_CELL_BYTES / 4] = {tf_cell_word(data, 0), tf_cell_word(data, 1)};
  uint32_t autoload = Cache_Suspend_ICache();
  int rc = esp_rom_spiflash_write((uint32_t)at, words, TF_FLASH_CELL_BYTES);
  Cache_Resume_ICache(autoload);
  Cache_Invalidate_Addr(addr, TF_FLASH_CELL_BYTES);
  return rc == 0 ? 0 : -1;
}

/* Reads the flash itself through the ROM (not the cache): word-aligned pieces into an SRAM buffer, then copied. */
static int read(tf_flash *f, uint32_t addr, uint8_t *out, uint32_t len) {
  (void)f;
  int64_t at = offset_of(addr, len);
  if (at < 0) return -1;
  uint32_t words[16];
  uint32_t from = (uint32_t)at & ~3u, skip = (uint32_t)at & 3u;
  while (len > 0) {
    uint32_t n = (uint32_t)sizeof words - skip;
    if (n > len) n = len;
    uint32_t bytes = (skip + n + 3u) & ~3u;
    uint32_t autoload = Cache_Suspend_ICache();
    int rc = esp_rom_spiflash_read(from, words, (int32_t)bytes);
    Cache_Resume_ICache(autoload);
    if (rc != 0) return -1;
    memcpy(out, (const uint8_t *)words + skip, n);
    out += n;
    len -= n;
    from += bytes;
    skip = 0;
  }
  return 0;
}

static tf_flash flash = {SECTOR_BYTES, erase_page, program_cell, read, 0};

/* Maps both slots (virtual 0x3C00_0000 + offset → flash offset) onto the data bus. */
static int map_slots(void) {
  uint32_t vaddr = (uint32_t)(uintptr_t)__tf_slot_a;
  uint32_t pages = 2u * (uint32_t)(uintptr_t)__tf_slot_bytes / MMU_PAGE_BYTES;
  uint32_t autoload = Cache_Suspend_ICache();
  int rc = Cache_Dbus_MMU_Set(MMU_ACCESS_FLASH, vaddr, vaddr - DBUS_FLASH_BASE, MMU_PAGE_BYTES / 1024u, pages, 0);
  EXTMEM_ICACHE_CTRL1 &= ~ICACHE_SHUT_DBUS;
  Cache_Invalidate_ICache_All();
  Cache_Resume_ICache(autoload);
  return rc;
}

tf_flash *tf_board_flash(void) {
  static int state; /* 0 not yet, 1 mapped, -1 the mapping failed */
  if (state == 0) {
    /* With the slots mapped and a flash that stays locked, the slots are read and every erase or program fails
     * (updates refused, the running model kept). */
    state = map_slots() == 0 ? 1 : -1;
    const rom_spiflash_chip *chip = ROM_SPIFLASH_CHIP;
    uint32_t flash_bytes = (uint32_t)(uintptr_t)__tf_slot_b + (uint32_t)(uintptr_t)__tf_slot_bytes - DBUS_FLASH_BASE;
    unlocked = state == 1 && chip && esp_rom_spiflash_config_param(chip->device_id, flash_bytes, 0x10000u, SECTOR_BYTES, 256u, 0xFFFFu) == 0 &&
               esp_rom_spiflash_unlock() == 0;
  }
  return state == 1 ? &flash : 0;
}
