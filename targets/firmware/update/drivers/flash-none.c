/* Boards whose flash driver is not written yet (ESP32-C3 bare metal: no SPI flash access without the ROM's flash
 * functions). The slot firmware reports "no flash driver" for every update. */
#include "slot-flash.h"

tf_flash *tf_board_flash(void) { return 0; }
