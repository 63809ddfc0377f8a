/* Power-cut harness: the firmware's model-slot code (model-slots.c, the C crypto) over a simulated NOR flash.
 *   power-cut-harness cut GEOMETRY PUB V1.tfu V2.tfu
 *     Slot A holds V1, confirmed. The update to V2 (install, reboot, trial, confirm) is run once per flash
 *     operation with the power cut before it, and once more with that operation torn half way, then the
 *     device boots: it must boot a slot that verifies and holds exactly V1's or V2's model.
 *   power-cut-harness refuse GEOMETRY PUB V1.tfu V2.tfu NAME=FILE...
 *     With V2 running (installed over V1 and confirmed), installs each FILE and reports the result code,
 *     whether the running slot's bytes are untouched and whether the device still boots it.
 * GEOMETRY is the simulated flash (sim-nor-flash.h): `word` (32-bit words, 1 KiB pages) or `ecc-dword` (the
 * STM32L4R5's ECC double-words, 4 KiB pages, RM0432 §3.3.1 dual-bank). Prints one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model-slots.h"
#include "sim-nor-flash.h"


static uint8_t *read_file(const char *path, uint32_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "power-cut-harness: cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
  fclose(f);
  *len = (uint32_t)n;
  return buf;
}

typedef struct {
  sim_nor_flash flash;
  tf_slots slots;
  uint8_t *memory;
  uint8_t *dword_state;
  uint32_t size;
} device;

static sim_flash_geometry geometry;
static uint32_t page_bytes;

static void device_init(device *d, uint32_t slot_bytes, const uint8_t *pub) {
  d->size = 2 * slot_bytes;
  d->memory = malloc(d->size);
  d->dword_state = calloc(d->size / 8, 1);
  memset(d->memory, 0xff, d->size);
  sim_nor_flash_init(&d->flash, geometry, d->memory, d->dword_state, d->size, page_bytes);
  d->slots.flash = &d->flash.driver;
  d->slots.base[0] = 0;
  d->slots.base[1] = slot_bytes;
  d->slots.slot_bytes = slot_bytes;
  d->slots.public_key = pub;
}

/* A boot as the firmware does it: select, and on a trial run the self-test (here: it passes) and confirm. */
static int boot(device *d) {
  int trial;
  int slot = tf_slots_select(&d->slots, &trial);
  if (slot >= 0 && trial) tf_slot_confirm(&d->slots, slot);
  return slot;
}

/* 1 when the slot holds exactly this update's header and model. */
static int slot_holds(device *d, int slot, const uint8_t *update, uint32_t len) {
  return memcmp(d->memory + d->slots.base[slot] + TF_SLOT_HEADER_OFFSET, update, len) == 0;
}

static void free_all(device *a, device *b, uint8_t *pub, uint8_t *v1, uint8_t *v2) {
  free(a->memory);
  free(b->memory);
  free(a->dword_state);
  free(b->dword_state);
  free(pub);
  free(v1);
  free(v2);
}

int main(int argc, char **argv) {
  if (argc < 6 || (strcmp(argv[2], "word") != 0 && strcmp(argv[2], "ecc-dword") != 0)) {
    fprintf(stderr, "usage: power-cut-harness cut|refuse word|ecc-dword PUB V1.tfu V2.tfu [NAME=FILE...]\n");
    return 2;
  }
  geometry = strcmp(argv[2], "word") == 0 ? SIM_FLASH_WORD : SIM_FLASH_ECC_DOUBLE_WORD;
  page_bytes = geometry == SIM_FLASH_WORD ? 1024u : 4096u;
  uint32_t pub_len, v1_len, v2_len;
  uint8_t *pub = read_file(argv[3], &pub_len);
  uint8_t *v1 = read_file(argv[4], &v1_len);
  uint8_t *v2 = read_file(argv[5], &v2_len);
  if (pub_len != 32) return 2;
  uint32_t largest = v1_len > v2_len ? v1_len : v2_len;
  uint32_t slot_bytes = ((TF_SLOT_STATE_BYTES + largest + page_bytes - 1) / page_bytes + 1) * page_bytes;
  static jmp_buf power_cut;

  /* The factory state: V1 installed into slot A, booted and confirmed. */
  /* Static, not automatic: longjmp leaves automatic objects changed after setjmp indeterminate. */
  static device factory, d;
  device_init(&factory, slot_bytes, pub);
  factory.flash.power_cut = &power_cut;
  if (tf_slots_install(&factory.slots, -1, v1, v1_len) != TF_INSTALL_OK || boot(&factory) != 0) {
    fprintf(stderr, "power-cut-harness: the factory install of V1 failed\n");
    return 1;
  }

  device_init(&d, slot_bytes, pub);
  d.flash.power_cut = &power_cut;

  if (strcmp(argv[1], "cut") == 0) {
    /* One uncut run counts the operations of the whole update. */
    sim_nor_flash_copy(&d.flash, &factory.flash);
    d.flash.ops = 0;
    if (tf_slots_install(&d.slots, 0, v2, v2_len) != TF_INSTALL_OK || boot(&d) != 1) {
      fprintf(stderr, "power-cut-harness: the uncut update to V2 failed\n");
      return 1;
    }
    long total_ops = d.flash.ops;
    static long cut_points, booted_valid, booted_new, booted_old, unstable, retried_to_new;
    static int failures;
    for (int torn = 0; torn <= 1; torn++) {
      for (long k = 0; k <= total_ops - (torn ? 1 : 0); k++) {
        sim_nor_flash_copy(&d.flash, &factory.flash);
        d.flash.ops = 0;
        d.flash.cut_at = k;
        d.flash.cut_torn = torn;
        if (setjmp(power_cut) == 0) {
          int running = boot(&d);
          tf_slots_install(&d.slots, running, v2, v2_len);
          boot(&d);
        }
        /* Power back: no more cuts. */
        d.flash.cut_at = -1;
        cut_points++;
        int slot = boot(&d);
        int valid = slot >= 0 && tf_slot_verify(&d.slots, slot, 0) == 0;
        int is_new = valid && slot_holds(&d, slot, v2, v2_len);
        int is_old = valid && slot_holds(&d, slot, v1, v1_len);
        if (boot(&d) != slot) unstable++; /* the next boot must agree */
        if (valid && (is_new || is_old)) {
          booted_valid++;
          booted_new += is_new;
          booted_old += is_old;
        } else if (failures++ < 5) {
          fprintf(stderr, "power-cut-harness: cut %s operation %ld: booted slot %d, valid %d\n", torn ? "inside" : "before", k, slot, valid);
        }
        /* The same update sent again, uncut, over whatever the cut left (torn cells, a bad slot): it must install. */
        if (!is_new) tf_slots_install(&d.slots, slot, v2, v2_len);
        int again = boot(&d);
        retried_to_new += again >= 0 && tf_slot_verify(&d.slots, again, 0) == 0 && slot_holds(&d, again, v2, v2_len);
      }
    }
    printf("{\"geometry\":\"%s\",\"pageBytes\":%u,\"cutPoints\":%ld,\"bootedValid\":%ld,\"bootedNew\":%ld,\"bootedOld\":%ld,\"flashOps\":%ld,"
           "\"unstableBoots\":%ld,\"bitSetViolations\":%ld,\"rewriteViolations\":%ld,\"eccReadErrors\":%ld,\"retriedToNew\":%ld}\n",
           argv[2], page_bytes, cut_points, booted_valid, booted_new, booted_old, total_ops, unstable, d.flash.bit_set_violations,
           d.flash.rewrite_violations, d.flash.ecc_read_errors, retried_to_new);
    free_all(&factory, &d, pub, v1, v2);
    return 0;
  }

  if (strcmp(argv[1], "refuse") == 0) {
    sim_nor_flash_copy(&d.flash, &factory.flash);
    if (tf_slots_install(&d.slots, 0, v2, v2_len) != TF_INSTALL_OK || boot(&d) != 1) return 1;
    int running = boot(&d); /* slot B, V2, confirmed */
    uint8_t *before = malloc(slot_bytes);
    printf("{\"running\":%d,\"refusals\":[", running);
    for (int i = 6; i < argc; i++) {
      char *eq = strchr(argv[i], '=');
      if (!eq) return 2;
      *eq = 0;
      uint32_t len;
      uint8_t *update = read_file(eq + 1, &len);
      static device snapshot;
      if (!snapshot.memory) device_init(&snapshot, slot_bytes, pub);
      sim_nor_flash_copy(&snapshot.flash, &d.flash);
      memcpy(before, d.memory + d.slots.base[running], slot_bytes);
      int result = tf_slots_install(&d.slots, running, update, len);
      int untouched = memcmp(before, d.memory + d.slots.base[running], slot_bytes) == 0;
      int boots = boot(&d);
      printf("%s{\"name\":\"%s\",\"result\":%d,\"runningUntouched\":%s,\"bootedSlot\":%d}", i > 6 ? "," : "", argv[i], result,
             untouched ? "true" : "false", boots);
      sim_nor_flash_copy(&d.flash, &snapshot.flash); /* each case starts from V2 running */
      free(update);
    }
    printf("]}\n");
    free(before);
    free_all(&factory, &d, pub, v1, v2);
    return 0;
  }
  return 2;
}
