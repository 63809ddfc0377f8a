/* A tf_flash (update/flash-driver.h) over memory the core reads in place: reads are plain loads; erase and cell
 * programs (once per cell between erases) act in place where that memory is writable (the QEMU boards' code
 * memory), and fail where it is real flash, which needs its controller's driver. */
#ifndef TF_MAPPED_FLASH_H
#define TF_MAPPED_FLASH_H

#include "flash-driver.h"

void tf_mapped_flash_init(tf_flash *flash, uint32_t page_bytes, int writable);

#endif
