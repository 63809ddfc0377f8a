/* A/B model slots over a NOR flash driver: install, verify, boot selection, confirm and rollback. */
#include "model-slots.h"

#include <string.h>

#include "ed25519-verify.h"
#include "sha256.h"

/* The state cells' markers (8 bytes each, one flash cell); erased is all 0xFF, anything else is torn. */
static const uint8_t MARK[4][TF_FLASH_CELL_BYTES] = {
    {'P', 'E', 'N', 'D', 'I', 'N', 'G', '.'},
    {'T', 'R', 'I', 'E', 'D', '.', '.', '.'},
    {'C', 'O', 'N', 'F', 'I', 'R', 'M', '.'},
    {0, 0, 0, 0, 0, 0, 0, 0},
};
enum { CELL_PENDING, CELL_TRIED, CELL_CONFIRMED, CELL_BAD };
typedef enum { CELL_ERASED, CELL_MARKED, CELL_TORN } cell_reading;

static uint32_t read_word(tf_slots *s, int slot, uint32_t offset) {
  uint8_t b[4];
  if (s->flash->read(s->flash, s->base[slot] + offset, b, 4) != 0) return 0xffffffffu;
  return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

/* A state cell: erased, its marker, or torn (a cut program: other bytes, or unreadable on an ECC flash). */
static cell_reading read_cell(tf_slots *s, int slot, unsigned cell) {
  uint8_t b[TF_FLASH_CELL_BYTES];
  if (s->flash->read(s->flash, s->base[slot] + TF_FLASH_CELL_BYTES * cell, b, sizeof b) != 0) return CELL_TORN;
  if (memcmp(b, MARK[cell], sizeof b) == 0) return CELL_MARKED;
  for (unsigned i = 0; i < sizeof b; i++)
    if (b[i] != 0xff) return CELL_TORN;
  return CELL_ERASED;
}

/* Programs a state cell once: an erased cell only (a torn one stays as it is; writing it again is what an ECC
 * flash forbids). */
static int write_state(tf_slots *s, int slot, unsigned cell) {
  cell_reading now = read_cell(s, slot, cell);
  if (now == CELL_MARKED) return 0;
  if (now != CELL_ERASED) return -1;
  return s->flash->program_cell(s->flash, s->base[slot] + TF_FLASH_CELL_BYTES * cell, MARK[cell]);
}

tf_slot_state tf_slot_state_of(tf_slots *s, int slot) {
  /* Trust-taking cells count when programmed at all; trust-granting ones only with their whole marker. */
  if (read_cell(s, slot, CELL_BAD) != CELL_ERASED) return TF_SLOT_BAD;
  if (read_cell(s, slot, CELL_PENDING) != CELL_MARKED) return TF_SLOT_EMPTY;
  if (read_cell(s, slot, CELL_CONFIRMED) == CELL_MARKED) return TF_SLOT_CONFIRMED;
  if (read_cell(s, slot, CELL_TRIED) != CELL_ERASED) return TF_SLOT_TRIED;
  return TF_SLOT_PENDING;
}

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

/* The header's own fields and its signature; *payload_bytes and *version out. */
static tf_install_result check_header(tf_slots *s, const uint8_t h[TF_UPDATE_HEADER_BYTES], uint32_t *payload_bytes, uint32_t *version) {
  if (memcmp(h, TF_UPDATE_MAGIC, 4) != 0 || le16(h + 4) != TF_UPDATE_FORMAT_VERSION || le16(h + 6) != TF_UPDATE_HEADER_BYTES) return TF_INSTALL_BAD_HEADER;
  for (unsigned i = 48; i < 64; i++)
    if (h[i] != 0) return TF_INSTALL_BAD_HEADER;
  *version = le32(h + 8);
  *payload_bytes = le32(h + 12);
  if (*payload_bytes > s->slot_bytes - TF_SLOT_PAYLOAD_OFFSET) return TF_INSTALL_TOO_LARGE;
  if (ed25519_verify(h + TF_UPDATE_SIGNED_BYTES, s->public_key, h, TF_UPDATE_SIGNED_BYTES) != 0) return TF_INSTALL_BAD_SIGNATURE;
  return TF_INSTALL_OK;
}

/* SHA-256 of `len` bytes of the slot from `offset`, read through the driver in small pieces. */
static int hash_slot(tf_slots *s, int slot, uint32_t offset, uint32_t len, uint8_t digest[32]) {
  sha256_ctx ctx;
  uint8_t buf[64];
  sha256_init(&ctx);
  while (len > 0) {
    uint32_t n = len < sizeof buf ? len : (uint32_t)sizeof buf;
    if (s->flash->read(s->flash, s->base[slot] + offset, buf, n) != 0) return -1;
    sha256_update(&ctx, buf, n);
    offset += n;
    len -= n;
  }
  sha256_final(&ctx, digest);
  return 0;
}

int tf_slot_verify(tf_slots *s, int slot, uint32_t *model_version) {
  uint8_t h[TF_UPDATE_HEADER_BYTES], digest[32];
  uint32_t payload_bytes, version;
  if (s->flash->read(s->flash, s->base[slot] + TF_SLOT_HEADER_OFFSET, h, TF_UPDATE_HEADER_BYTES) != 0) return -1;
  if (check_header(s, h, &payload_bytes, &version) != TF_INSTALL_OK) return -1;
  if (hash_slot(s, slot, TF_SLOT_PAYLOAD_OFFSET, payload_bytes, digest) != 0 || memcmp(digest, h + 16, 32) != 0) return -1;
  if (model_version) *model_version = version;
  return 0;
}

static int bootable(tf_slot_state st) { return st == TF_SLOT_PENDING || st == TF_SLOT_TRIED || st == TF_SLOT_CONFIRMED; }

/* The header's own checks, then the replay/rollback rule against the running slot. */
static tf_install_result check_update(tf_slots *s, int running, const uint8_t *h, uint32_t *payload_bytes) {
  uint32_t version, running_version = 0;
  tf_install_result r = check_header(s, h, payload_bytes, &version);
  if (r != TF_INSTALL_OK) return r;
  if (running >= 0 && tf_slot_verify(s, running, &running_version) == 0 && version <= running_version) return TF_INSTALL_NOT_NEWER;
  return TF_INSTALL_OK;
}

tf_install_result tf_slots_write(tf_slots *s, int target, uint32_t offset, const uint8_t *data, uint32_t len) {
  if (offset % TF_FLASH_CELL_BYTES != 0 || offset > s->slot_bytes - TF_SLOT_HEADER_OFFSET || len > s->slot_bytes - TF_SLOT_HEADER_OFFSET - offset) return TF_INSTALL_TOO_LARGE;
  /* Cell by cell after the (still erased) state cells; a tail cell padded with 0xFF. */
  for (uint32_t at = 0; at < len; at += TF_FLASH_CELL_BYTES) {
    uint8_t cell[TF_FLASH_CELL_BYTES];
    memset(cell, 0xff, sizeof cell);
    memcpy(cell, data + at, len - at < sizeof cell ? len - at : sizeof cell);
    if (s->flash->program_cell(s->flash, s->base[target] + TF_SLOT_HEADER_OFFSET + offset + at, cell) != 0) return TF_INSTALL_FLASH_ERROR;
  }
  return TF_INSTALL_OK;
}

/* Erases what the checked update needs in the inactive slot and writes its header there. */
static tf_install_result erase_and_write_header(tf_slots *s, int running, const uint8_t *header, uint32_t payload_bytes, int *target) {
  *target = running == 0 ? 1 : 0;
  uint32_t used = TF_SLOT_PAYLOAD_OFFSET + payload_bytes;
  for (uint32_t at = 0; at < used; at += s->flash->page_bytes)
    if (s->flash->erase_page(s->flash, s->base[*target] + at) != 0) return TF_INSTALL_FLASH_ERROR;
  return tf_slots_write(s, *target, 0, header, TF_UPDATE_HEADER_BYTES);
}

tf_install_result tf_slots_begin(tf_slots *s, int running, const uint8_t header[TF_UPDATE_HEADER_BYTES], int *target) {
  uint32_t payload_bytes;
  tf_install_result r = check_update(s, running, header, &payload_bytes);
  if (r != TF_INSTALL_OK) return r;
  return erase_and_write_header(s, running, header, payload_bytes, target);
}

tf_install_result tf_slots_finish(tf_slots *s, int target) {
  /* What counts is what the flash holds: verify it there, then mark it pending. */
  if (tf_slot_verify(s, target, 0) != 0) return TF_INSTALL_BAD_HASH;
  if (write_state(s, target, CELL_PENDING) != 0) return TF_INSTALL_FLASH_ERROR;
  return TF_INSTALL_OK;
}

tf_install_result tf_slots_install(tf_slots *s, int running, const uint8_t *update, uint32_t len) {
  if (len < TF_UPDATE_HEADER_BYTES) return TF_INSTALL_TRUNCATED;
  uint32_t payload_bytes;
  tf_install_result r = check_update(s, running, update, &payload_bytes);
  if (r != TF_INSTALL_OK) return r;
  if (len < TF_UPDATE_HEADER_BYTES + payload_bytes) return TF_INSTALL_TRUNCATED;
  uint8_t digest[32];
  sha256(update + TF_UPDATE_HEADER_BYTES, payload_bytes, digest);
  if (memcmp(digest, update + 16, 32) != 0) return TF_INSTALL_BAD_HASH; /* refused before any flash is touched */
  int target;
  if ((r = erase_and_write_header(s, running, update, payload_bytes, &target)) != TF_INSTALL_OK) return r;
  if ((r = tf_slots_write(s, target, TF_UPDATE_HEADER_BYTES, update + TF_UPDATE_HEADER_BYTES, payload_bytes)) != TF_INSTALL_OK) return r;
  return tf_slots_finish(s, target);
}

uint32_t tf_slot_model_version(tf_slots *s, int slot) {
  uint32_t v = read_word(s, slot, TF_SLOT_HEADER_OFFSET + 8);
  return v == 0xffffffffu ? 0 : v;
}

int tf_slots_select(tf_slots *s, int *trial) {
  uint32_t version[2] = {0, 0};
  int valid[2];
  tf_slot_state st[2];
  for (int i = 0; i < 2; i++) {
    st[i] = tf_slot_state_of(s, i);
    /* A trial that never confirmed: it crashed or was reset before its self-test passed. */
    if (st[i] == TF_SLOT_TRIED) {
      tf_slot_mark_bad(s, i);
      st[i] = TF_SLOT_BAD;
    }
    valid[i] = bootable(st[i]) && tf_slot_verify(s, i, &version[i]) == 0;
  }
  *trial = 0;
  /* A verified pending slot newer than every confirmed one goes on trial. */
  for (int i = 0; i < 2; i++) {
    int other = 1 - i;
    if (valid[i] && st[i] == TF_SLOT_PENDING && !(valid[other] && st[other] == TF_SLOT_CONFIRMED && version[other] >= version[i])) {
      if (write_state(s, i, CELL_TRIED) != 0) break;
      *trial = 1;
      return i;
    }
  }
  int best = -1;
  for (int i = 0; i < 2; i++)
    if (valid[i] && st[i] == TF_SLOT_CONFIRMED && (best < 0 || version[i] > version[best])) best = i;
  return best;
}

int tf_slot_confirm(tf_slots *s, int slot) { return write_state(s, slot, CELL_CONFIRMED); }

int tf_slot_mark_bad(tf_slots *s, int slot) {
  /* Already bad (its cell programmed, torn or not) is done. */
  if (read_cell(s, slot, CELL_BAD) != CELL_ERASED) return 0;
  return write_state(s, slot, CELL_BAD);
}
