/* Checks a board's slot flash driver on QEMU: NOR rules, and that its bytes survive a guest reset and a QEMU
 * restart. Run 1 writes slot B, resets, finds the bytes and exits 2; run 2 (a new QEMU on the same file)
 * finds them again, erases and exits 3. */
#include "board.h"
#include "slot-flash.h"

#define MAGIC 0x534C4F54u

int main(void) {
  static const uint8_t no_key[32];
  tf_slots s;
  board_init();
  if (tf_board_slots(&s, no_key) != 0) board_exit(90);
  tf_flash *f = s.flash;
  uint32_t b = s.base[1], w[3];
  if (f->read(f, b, (uint8_t *)w, sizeof w) != 0) board_exit(91);
  if (w[0] == 0xFFFFFFFFu) {
    if (f->erase_page(f, b) != 0) board_exit(92);
    if (f->write_word(f, b, MAGIC) != 0 || f->write_word(f, b + 4, 1) != 0) board_exit(93);
    if (f->write_word(f, b + 4, 3) == 0) board_exit(94); /* would set a bit: a NOR flash cannot */
    board_reset();
  }
  if (w[0] != MAGIC) board_exit(95);
  if (w[1] == 1 && w[2] == 0xFFFFFFFFu) {
    if (f->write_word(f, b + 8, 2) != 0) board_exit(96);
    board_exit(2);
  }
  if (w[2] == 2) {
    if (f->erase_page(f, b) != 0) board_exit(97);
    if (f->read(f, b, (uint8_t *)w, sizeof w) != 0 || w[0] != 0xFFFFFFFFu || w[2] != 0xFFFFFFFFu) board_exit(98);
    board_exit(3);
  }
  board_exit(99);
}
