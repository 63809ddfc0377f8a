/* Boot from a model slot: pick the slot to run (tf_slots_select, update/model-slots.c), open its blob with the
 * interpreter, and answer for it through model.h. Build-time settings (slot-config.h, which the build generates
 * from targets/firmware/update/slot-regions.ts):
 *   TF_SLOT_ARENA_BYTES   the arena reserved for any model
 *   TF_SLOT_IO_BYTES      input and output buffer bytes each
 *   TF_SLOT_PAGE_BYTES    the slots' erase page
 *   TF_SLOT_FLASH_WRITABLE 1 where the slots are writable in place (QEMU), 0 where a flash driver must write them
 * The linker script gives __tf_slot_a, __tf_slot_b and __tf_slot_bytes; slot-key.c the public key. */
#ifndef TF_SLOT_BOOT_H
#define TF_SLOT_BOOT_H

#include <stdint.h>

#include "model-slots.h"
#include "selftest.h"
#include "slot-config.h"
#include "tf_blob.h"

#ifndef TF_SLOT_IO_BYTES
#define TF_SLOT_IO_BYTES 16384
#endif

/* The running model (zero sizes when no slot holds a valid one). */
extern tf_blob tf_slot_model;
/* Its name, NUL-terminated ("(no model)" when none). */
extern char tf_slot_model_name[];
/* The Ed25519 public key updates must be signed with (generated per build: slot-key.c). */
extern const uint8_t tf_slot_public_key[32];
/* 0 when the firmware was built without a key (no `build --pub`): every update is refused (NO_KEY). */
extern const uint8_t tf_slot_key_present;

/* Selects and opens a slot; prints what it found through `put`. */
void tf_slot_boot(tf_putc_fn put);
/* -1 when no slot runs, else 0 (A) or 1 (B). */
int tf_slot_running(void);
/* The slots as tf_slot_boot set them up (flash driver, bases, key): for an install into the other slot,
 * tf_slots_install(tf_slot_set(), tf_slot_running(), update, len). */
tf_slots *tf_slot_set(void);

int tf_slot_invoke(const int8_t *input, int8_t *output);

/* The drift statistics' geometry (common/input-stats.h) of the running model, from its first input's shape and
 * first output in the blob: the rule formats/input-stats/input-stats-record.ts (statsGeometry) gives the compiler's
 * model.h, so slot firmware keeps the same per-channel groups as a firmware built for the model. */
typedef struct {
  uint32_t channels, stride, elements, classes;
} tf_slot_stats_geometry;
tf_slot_stats_geometry tf_slot_stats_shape(void);
/* The update commands (update/update-service.c) over this firmware's slots; 0 when `cmd` is not one. */
int tf_slot_command(uint8_t cmd, const uint8_t *payload, uint32_t len);

#endif
