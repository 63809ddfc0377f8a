/* Boot from a model slot (see slot-boot.h): the firmware's model is whatever verified blob a slot holds. */
#include "slot-boot.h"

#include "board.h"

#include <string.h>

#include "mapped-flash.h"
#include "model-slots.h"
#include "slot-flash.h"
#include "input-stats.h"
#include "update-service.h"
#include "profile-markers.h"

#ifndef TF_SLOT_ARENA_BYTES
#define TF_SLOT_ARENA_BYTES 65536
#endif
#ifndef TF_SLOT_PAGE_BYTES
#define TF_SLOT_PAGE_BYTES 4096
#endif
#ifndef TF_SLOT_FLASH_WRITABLE
#define TF_SLOT_FLASH_WRITABLE 0
#endif

extern const uint8_t __tf_slot_a[], __tf_slot_b[], __tf_slot_bytes[];

tf_blob tf_slot_model;
char tf_slot_model_name[48] = "(no model)";
static uint8_t arena[TF_SLOT_ARENA_BYTES] __attribute__((aligned(16)));
static tf_flash flash;
static tf_slots slots;
static int running = -1;
static int on_trial;
static int has_driver; /* the slots are written through the board's flash driver */

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }

static const uint8_t *slot_base(int slot) { return (const uint8_t *)(uintptr_t)slots.base[slot]; }

static void no_model(void) {
  running = -1;
  memset(&tf_slot_model, 0, sizeof tf_slot_model);
  strcpy(tf_slot_model_name, "(no model)");
}

/* Opens the slot's blob; 0 when it runs here. */
static int open_slot(int slot, tf_putc_fn put) {
  const uint8_t *header = slot_base(slot) + TF_SLOT_HEADER_OFFSET;
  tf_blob_status st = tf_blob_open(&tf_slot_model, slot_base(slot) + TF_SLOT_PAYLOAD_OFFSET, le32(header + 12), arena, sizeof arena);
  if (st == TF_BLOB_OK && (tf_slot_model.input_bytes > TF_SLOT_IO_BYTES || tf_slot_model.output_bytes > TF_SLOT_IO_BYTES)) {
    tf_put_text(put, "slots: model I/O larger than the firmware's buffers\n");
    return -1;
  }
  if (st != TF_BLOB_OK) {
    tf_put_text(put, "slots: slot ");
    put((uint8_t)('A' + slot));
    tf_put_text(put, ": blob refused: ");
    tf_put_text(put, tf_blob_status_name(st));
    if (st == TF_BLOB_ARENA_TOO_SMALL) {
      tf_put_text(put, " (needs ");
      tf_put_uint(put, tf_slot_model.arena_bytes);
      tf_put_text(put, " B, the firmware reserves ");
      tf_put_uint(put, (uint32_t)sizeof arena);
      tf_put_text(put, " B)");
    }
    tf_put_text(put, "\n");
    return -1;
  }
  uint32_t n = tf_slot_model.name_bytes < sizeof tf_slot_model_name - 1 ? tf_slot_model.name_bytes : (uint32_t)sizeof tf_slot_model_name - 1;
  memcpy(tf_slot_model_name, tf_slot_model.name, n);
  tf_slot_model_name[n] = '\0';
  tf_put_text(put, "slots: slot ");
  put((uint8_t)('A' + slot));
  tf_put_text(put, on_trial ? " on trial" : " confirmed");
  tf_put_text(put, ", model version ");
  tf_put_uint(put, le32(header + 8));
  tf_put_text(put, ", ");
  tf_put_uint(put, tf_slot_model.blob_bytes);
  tf_put_text(put, " B blob, arena ");
  tf_put_uint(put, tf_slot_model.arena_bytes);
  tf_put_text(put, " of ");
  tf_put_uint(put, (uint32_t)sizeof arena);
  tf_put_text(put, " B\n");
  return 0;
}

void tf_slot_boot(tf_putc_fn put) {
  /* The board's flash driver (update/drivers/); where a board has none yet, the slots are read in place. */
  has_driver = tf_board_slots(&slots, tf_slot_public_key) == 0;
  if (!has_driver) {
    tf_mapped_flash_init(&flash, TF_SLOT_PAGE_BYTES, TF_SLOT_FLASH_WRITABLE);
    slots.flash = &flash;
    slots.base[0] = (uint32_t)(uintptr_t)__tf_slot_a;
    slots.base[1] = (uint32_t)(uintptr_t)__tf_slot_b;
    slots.slot_bytes = (uint32_t)(uintptr_t)__tf_slot_bytes;
    slots.public_key = tf_slot_public_key;
  }
  /* A slot whose blob this firmware refuses is marked bad and the other one tried: at most both. */
  for (int attempt = 0; attempt < 2; attempt++) {
    int slot = tf_slots_select(&slots, &on_trial);
    if (slot < 0) break;
    if (open_slot(slot, put) == 0) {
      running = slot;
      return;
    }
    if (tf_slot_mark_bad(&slots, slot) != 0) break;
  }
  no_model();
  tf_put_text(put, "slots: no slot holds a valid model\n");
}

int tf_slot_running(void) { return running; }

/* A fault while the running slot is still on trial: reset, and the next boot finds it TRIED, unconfirmed, marks
 * it bad and boots the confirmed slot (model-slots.c). A confirmed model that faults is not reset into a loop. */
void tf_on_fault(void) {
  if (has_driver && running >= 0 && tf_slot_state_of(&slots, running) == TF_SLOT_TRIED) {
    tf_put_text(board_putc, "slots: fault on trial, resetting\n");
    board_reset();
  }
}

/* Test-only builds (slot-firmware.ts, trialFailure) that make a trial fail the way a faulty model would, after the
 * slot is marked TRIED and before it is confirmed. */
static void trial_failure(tf_putc_fn put) {
#if defined(TF_TEST_FAULT_ON_TRIAL)
  /* A real fault: an undefined instruction, taken by the core's own fault path (HardFault / illegal-instruction
   * trap → the startup's handler → tf_on_fault → reset). */
  tf_put_text(put, "slots: test build: undefined instruction on trial\n");
#if defined(__riscv)
  __asm__ volatile("unimp");
#else
  __asm__ volatile("udf #0");
#endif
#elif defined(TF_TEST_WATCHDOG_ON_TRIAL)
  void tf_test_watchdog_hang(tf_putc_fn put);
  tf_test_watchdog_hang(put);
#elif defined(TF_TEST_RESET_ON_TRIAL)
  /* The reset a watchdog would cause, by the firmware (for boards whose watchdog QEMU does not model): the chip
   * restarts mid-trial. */
  tf_put_text(put, "slots: test build: reset on trial\n");
  board_reset();
#else
  (void)put;
#endif
}

int tf_slot_command(uint8_t cmd, const uint8_t *payload, uint32_t len) {
  tf_update_env env = {has_driver ? &slots : 0, running, on_trial, tf_slot_key_present};
  return tf_update_handle(cmd, payload, len, &env);
}

tf_slots *tf_slot_set(void) { return &slots; }

int tf_slot_invoke(const int8_t *input, int8_t *output) {
  if (running < 0) return 1;
  return tf_blob_invoke(&tf_slot_model, (const uint8_t *)input, (uint8_t *)output) == TF_BLOB_OK ? 0 : 2;
}

tf_slot_stats_geometry tf_slot_stats_shape(void) {
  tf_slot_stats_geometry g = {1, 1, 0, 0};
  tf_blob_tensor in, out;
  if (running < 0 || tf_blob_io(&tf_slot_model, TF_BLOB_INPUT, 0, &in) != TF_BLOB_OK) return g;
  uint32_t elements = 1;
  for (uint32_t i = 0; i < in.rank; i++) elements *= in.shape[i];
  /* The channel axis: the innermost axis longer than 1; stride: the product of the axes after it. */
  int axis = -1;
  for (int i = (int)in.rank - 1; i >= 0 && axis < 0; i--)
    if (in.shape[i] > 1) axis = i;
  g.channels = axis < 0 ? 1 : in.shape[axis];
  g.stride = 1;
  if (axis < 0) g.stride = elements ? elements : 1;
  else
    for (uint32_t i = (uint32_t)axis + 1; i < in.rank; i++) g.stride *= in.shape[i];
  g.elements = in.dtype == 0 ? elements : 0; /* int8 inputs only */
  if (tf_blob_io(&tf_slot_model, TF_BLOB_OUTPUT, 0, &out) == TF_BLOB_OK && out.dtype == 0 && out.bytes >= 2 && out.bytes <= TF_STATS_MAX_CLASSES)
    g.classes = out.bytes;
  return g;
}

/* The slot firmware's self-test: the vectors that came with the model, then the trial's verdict. */
uint32_t tf_selftest_run(int8_t *output, tf_putc_fn put) {
  for (int attempt = 0; attempt < 2; attempt++) {
    if (running < 0) {
      tf_put_text(put, "selftest: no model to test, FAILED\n");
      return 1;
    }
    uint32_t failures = tf_selftest_vectors((const int8_t *)tf_slot_model.selftest_inputs, (const int8_t *)tf_slot_model.selftest_expected,
                                            tf_slot_model.selftest_count, output, put);
    if (!on_trial) return failures;
    trial_failure(put);
    int slot = running;
    if (failures == 0) {
      tf_slot_confirm(&slots, slot);
      tf_put_text(put, "slots: trial passed, slot confirmed\n");
      return 0;
    }
    /* A failed trial: the slot is bad, and the previous model runs again. */
    tf_slot_mark_bad(&slots, slot);
    tf_put_text(put, "slots: trial failed its self-test, slot marked bad; back to the other slot\n");
    tf_slot_boot(put);
  }
  return 1;
}
