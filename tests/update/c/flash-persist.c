/* Checks a board's slot flash driver on QEMU: a cell is programmed once (a second program is refused), and the
 * bytes survive a guest reset and a QEMU restart. Run 1 writes slot B, resets, finds the bytes and exits 2; run 2
 * (a new QEMU on the same file) finds them again, erases and exits 3. */
#include "board.h"
#include "slot-flash.h"

#define MAGIC 0x534C4F54u

static int program(tf_flash *f, uint32_t addr, uint32_t lo, uint32_t hi) {
  uint8_t cell[TF_FLASH_CELL_BYTES];
  for (unsigned i = 0; i < 4; i++) {
    cell[i] = (uint8_t)(lo >> (8 * i));
    cell[4 + i] = (uint8_t)(hi >> (8 * i));
  }
  return f->program_cell(f, addr, cell);
}

int main(void) {
  static const uint8_t no_key[32];
  tf_slots s;
  board_init();
  if (tf_board_slots(&s, no_key) != 0) board_exit(90);
  tf_flash *f = s.flash;
  uint32_t b = s.base[1], w[4];
  if (f->read(f, b, (uint8_t *)w, sizeof w) != 0) board_exit(91);
  if (w[0] == 0xFFFFFFFFu) {
    if (f->erase_page(f, b) != 0) board_exit(92);
    if (program(f, b, MAGIC, 1) != 0) board_exit(93);
    if (program(f, b, MAGIC, 0) == 0) board_exit(94); /* a second program of a cell: refused */
    board_reset();
  }
  if (w[0] != MAGIC) board_exit(95);
  if (w[1] == 1 && w[2] == 0xFFFFFFFFu) {
    if (program(f, b + 8, 2, 0) != 0) board_exit(96);
    board_exit(2);
  }
  if (w[2] == 2) {
    if (f->erase_page(f, b) != 0) board_exit(97);
    if (f->read(f, b, (uint8_t *)w, sizeof w) != 0 || w[0] != 0xFFFFFFFFu || w[2] != 0xFFFFFFFFu) board_exit(98);
    board_exit(3);
  }
  board_exit(99);
}
