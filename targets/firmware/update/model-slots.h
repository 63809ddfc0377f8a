/* Two model slots (A/B) in flash and the choice of which one to boot. A slot holds, from its start:
 *   32 B  state cells: PENDING, TRIED, CONFIRMED, BAD markers, 8 bytes each (one flash cell, flash-driver.h),
 *         each programmed once from erased, never rewritten: the layout of every board, the L4R5's ECC included
 *  128 B  the update's signed header (formats/update/tfu-format.h)
 *    …    the model blob, programmed cell by cell (the last cell padded with 0xFF)
 * An install erases the inactive slot, writes header and model, re-checks both as written (SHA-256, Ed25519)
 * and only then writes PENDING: a power cut at any point leaves the slot not pending, which boot ignores.
 * Boot takes a pending slot newer than the confirmed one as a trial (TRIED first); the firmware confirms it
 * after its self-test or marks it BAD. A TRIED slot found unconfirmed at boot crashed or was reset during its
 * trial: it becomes BAD and the confirmed slot boots.
 * A state cell whose program was cut (torn: neither erased nor its marker, or unreadable on an ECC flash) counts
 * as not written where the marker would grant trust (PENDING, CONFIRMED) and as written where it takes trust away
 * (TRIED: the trial began; BAD): either way the cell is never programmed a second time. */
#ifndef TF_MODEL_SLOTS_H
#define TF_MODEL_SLOTS_H

#include <stdint.h>

#include "flash-driver.h"
#include "tfu-format.h"

#define TF_SLOT_STATE_BYTES (4u * TF_FLASH_CELL_BYTES)
#define TF_SLOT_HEADER_OFFSET TF_SLOT_STATE_BYTES
#define TF_SLOT_PAYLOAD_OFFSET (TF_SLOT_STATE_BYTES + TF_UPDATE_HEADER_BYTES)

typedef enum { TF_SLOT_EMPTY, TF_SLOT_PENDING, TF_SLOT_TRIED, TF_SLOT_CONFIRMED, TF_SLOT_BAD } tf_slot_state;

typedef struct {
  tf_flash *flash;
  uint32_t base[2];   /* page-aligned start of slot A and slot B */
  uint32_t slot_bytes; /* a multiple of the page size */
  const uint8_t *public_key; /* 32 bytes: the key updates must be signed with */
} tf_slots;

/* Why an install was refused (0 = installed and pending). */
typedef enum {
  TF_INSTALL_OK = 0,
  TF_INSTALL_BAD_HEADER = -1,  /* magic, format version, header size or reserved bytes */
  TF_INSTALL_TOO_LARGE = -2,   /* the model does not fit a slot */
  TF_INSTALL_BAD_SIGNATURE = -3,
  TF_INSTALL_NOT_NEWER = -4,   /* model version not above the running one: replay or rollback */
  TF_INSTALL_TRUNCATED = -5,   /* fewer bytes than the header announces */
  TF_INSTALL_BAD_HASH = -6,    /* the model as written does not hash to the signed SHA-256 */
  TF_INSTALL_FLASH_ERROR = -7,
} tf_install_result;

/* An update that arrives in pieces (update-service.c), the same steps as tf_slots_install: begin checks the .tfu
 * header (fields, signature, newer than `running`), erases what the inactive slot needs and writes the header
 * there (*target: the slot); write stores .tfu bytes from `offset` (cell-aligned, 8; the length too, but for
 * the update's last bytes); finish checks the slot as written (SHA-256, signature) and only then marks it pending. */
tf_install_result tf_slots_begin(tf_slots *slots, int running, const uint8_t header[TF_UPDATE_HEADER_BYTES], int *target);
tf_install_result tf_slots_write(tf_slots *slots, int target, uint32_t offset, const uint8_t *data, uint32_t len);
tf_install_result tf_slots_finish(tf_slots *slots, int target);
/* The model version a slot's header names (0 when the slot holds no header). */
uint32_t tf_slot_model_version(tf_slots *slots, int slot);

tf_slot_state tf_slot_state_of(tf_slots *slots, int slot);
/* 0 when the slot holds a complete model whose header is signed by the key and whose bytes hash to it. */
int tf_slot_verify(tf_slots *slots, int slot, uint32_t *model_version);
/* Writes `update` (a whole .tfu, `len` bytes) into the slot other than `running` (-1: none runs). */
tf_install_result tf_slots_install(tf_slots *slots, int running, const uint8_t *update, uint32_t len);
/* The slot to boot (-1: none holds a valid model), marking trials TRIED and failed trials BAD on the way.
 * `*trial` is 1 when the slot is on trial: confirm it, or mark it bad, after its self-test. */
int tf_slots_select(tf_slots *slots, int *trial);
int tf_slot_confirm(tf_slots *slots, int slot);
int tf_slot_mark_bad(tf_slots *slots, int slot);

#endif
