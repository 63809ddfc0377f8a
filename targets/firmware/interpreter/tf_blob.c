/* The model blob interpreter (see tf_blob.h). Eval only: every parameter was computed by the compiler's prepare
 * and travels in the blob; this file walks the records, checks them, and calls the kernels. */
#include "tf_blob.h"

#include <string.h>

#include "crc32.h"
#include "profile-markers.h"
#include "tf_kernel_table.h"

enum { KIND_NONE = 0, KIND_ARENA = 1, KIND_CONST = 2 };

/* Bounds-checked little-endian reads: past the end, `ok` drops to 0 and reads give 0. */
typedef struct {
  const uint8_t *p;
  uint32_t at, end;
  int ok;
} reader;

static int take(reader *r, uint32_t n) {
  if (!r->ok || n > r->end - r->at) {
    r->ok = 0;
    return 0;
  }
  r->at += n;
  return 1;
}
static uint32_t u8(reader *r) { return take(r, 1) ? r->p[r->at - 1] : 0; }
static uint32_t u16(reader *r) {
  if (!take(r, 2)) return 0;
  const uint8_t *q = r->p + r->at - 2;
  return (uint32_t)q[0] | ((uint32_t)q[1] << 8);
}
static uint32_t le32(const uint8_t *q) { return (uint32_t)q[0] | ((uint32_t)q[1] << 8) | ((uint32_t)q[2] << 16) | ((uint32_t)q[3] << 24); }
static uint32_t u32(reader *r) { return take(r, 4) ? le32(r->p + r->at - 4) : 0; }
/* A string: u16 length, then its bytes (no NUL). */
static const char *str(reader *r, uint32_t *len) {
  *len = u16(r);
  uint32_t at = r->at;
  return take(r, *len) ? (const char *)r->p + at : 0;
}

typedef struct {
  const char *kernel;
  uint32_t kernel_bytes;
  uint32_t pointers, scalars;
  const uint8_t *pointer_records; /* pointers × (u8 kind, u32 offset) */
  const uint8_t *scalar_words;    /* scalars × i32, unaligned */
} step_record;

static void read_step(reader *r, step_record *s) {
  uint32_t n;
  s->kernel = str(r, &s->kernel_bytes);
  str(r, &n);                 /* op type */
  take(r, 4 + 4 + 4 + 3 * 8); /* op index, scratch bytes and offset, MACs and byte counters (f64) */
  s->pointers = u8(r);
  s->scalars = u16(r);
  s->pointer_records = r->p + r->at;
  take(r, 5 * s->pointers);
  s->scalar_words = r->p + r->at;
  take(r, 4 * s->scalars);
}

static int find_kernel(const char *name, uint32_t len) {
  for (uint32_t k = 0; k < tf_kernel_table_count; k++) {
    const char *t = tf_kernel_table[k].name;
    if (strncmp(t, name, len) == 0 && t[len] == '\0') return (int)k;
  }
  return -1;
}

/* One I/O record; `t` may be null (skip). */
static void read_io(reader *r, uint32_t *direction, tf_blob_tensor *t) {
  tf_blob_tensor tmp;
  if (!t) t = &tmp;
  *direction = u8(r);
  t->dtype = (uint8_t)u8(r);
  t->rank = (uint8_t)u8(r);
  t->quantized = (uint8_t)u8(r);
  take(r, 4); /* graph tensor id */
  t->arena_offset = u32(r);
  t->bytes = u32(r);
  if (t->rank > TF_BLOB_MAX_RANK) {
    r->ok = 0;
    return;
  }
  for (uint32_t d = 0; d < t->rank; d++) t->shape[d] = u32(r);
  uint32_t bits = u32(r);
  memcpy(&t->scale, &bits, 4);
  t->zero_point = (int32_t)u32(r);
  t->name = str(r, &t->name_bytes);
  if (!t->quantized) {
    t->scale = 0.0f;
    t->zero_point = 0;
  }
}

tf_blob_status tf_blob_open(tf_blob *b, const uint8_t *blob, uint32_t blob_bytes, uint8_t *arena, uint32_t arena_capacity) {
  memset(b, 0, sizeof *b);
  b->bad_step = -1;
  if (blob_bytes < TF_BLOB_HEADER_BYTES) return TF_BLOB_TRUNCATED;
  if (memcmp(blob, TF_BLOB_MAGIC, 4) != 0) return TF_BLOB_BAD_MAGIC;
  reader r = {blob, 4, blob_bytes, 1};
  if (u16(&r) != TF_BLOB_VERSION) return TF_BLOB_BAD_VERSION;
  if (u16(&r) != TF_BLOB_HEADER_BYTES) return TF_BLOB_BAD_HEADER;
  uint32_t total = u32(&r);
  uint32_t crc = u32(&r);
  if (total < TF_BLOB_HEADER_BYTES) return TF_BLOB_BAD_HEADER;
  if (total > blob_bytes) return TF_BLOB_TRUNCATED;
  if (((uintptr_t)blob & 15u) != 0 || ((uintptr_t)arena & 15u) != 0) return TF_BLOB_MISALIGNED;
  if (tf_crc32_update(0, blob + TF_BLOB_HEADER_BYTES, total - TF_BLOB_HEADER_BYTES) != crc) return TF_BLOB_BAD_CRC;
  r.end = total;
  b->blob = blob;
  b->blob_bytes = total;
  b->const_bytes = u32(&r);
  b->arena_bytes = u32(&r);
  b->io_count = u32(&r);
  b->step_count = u32(&r);
  if (b->arena_bytes > arena_capacity) return TF_BLOB_ARENA_TOO_SMALL;
  b->arena = arena;
  b->name = str(&r, &b->name_bytes);

  b->io_offset = r.at;
  for (uint32_t i = 0; i < b->io_count && r.ok; i++) {
    uint32_t direction;
    tf_blob_tensor t;
    read_io(&r, &direction, &t);
    if (!r.ok || direction > 1 || t.bytes > b->arena_bytes || t.arena_offset > b->arena_bytes - t.bytes) return TF_BLOB_MALFORMED;
    if (direction == TF_BLOB_INPUT) {
      b->input_count++;
      b->input_bytes += t.bytes;
    } else {
      b->output_count++;
      b->output_bytes += t.bytes;
    }
  }
  if (!r.ok) return TF_BLOB_MALFORMED;

  b->steps_offset = r.at;
  for (uint32_t s = 0; s < b->step_count; s++) {
    step_record st;
    read_step(&r, &st);
    b->bad_step = (int32_t)s;
    if (!r.ok) return TF_BLOB_MALFORMED;
    int k = find_kernel(st.kernel, st.kernel_bytes);
    if (k < 0) return TF_BLOB_UNKNOWN_KERNEL;
    if (st.pointers != tf_kernel_table[k].pointers || st.scalars != tf_kernel_table[k].scalars) return TF_BLOB_KERNEL_ARGS;
    for (uint32_t i = 0; i < st.pointers; i++) {
      uint32_t kind = st.pointer_records[5 * i], offset = le32(st.pointer_records + 5 * i + 1);
      uint32_t limit = kind == KIND_ARENA ? b->arena_bytes : kind == KIND_CONST ? b->const_bytes : 1;
      if (kind > KIND_CONST || offset >= (limit ? limit : 1)) return TF_BLOB_MALFORMED;
    }
  }
  b->bad_step = -1;
  uint32_t placements = u32(&r);
  if (placements > total / 20) return TF_BLOB_MALFORMED;
  take(&r, 20 * placements);
  uint32_t live = u32(&r);
  if (live > total / 4) return TF_BLOB_MALFORMED;
  take(&r, 4 * live);
  take(&r, (16 - r.at % 16) % 16);
  uint32_t const_at = r.at;
  if (!take(&r, b->const_bytes)) return TF_BLOB_MALFORMED;
  b->constants = blob + const_at;
  if (r.at == total) return TF_BLOB_OK;
  /* Anything after the constants must be a self-test section that fills the rest exactly. */
  uint32_t st_at = r.at;
  if (!take(&r, 4) || memcmp(blob + st_at, TF_BLOB_SELFTEST_MAGIC, 4) != 0) return TF_BLOB_MALFORMED;
  uint32_t count = u32(&r), in = u32(&r), out = u32(&r);
  uint32_t per = in + out, left = total - r.at;
  if (!r.ok || in != b->input_bytes || out != b->output_bytes || (per ? left % per != 0 || left / per != count : count != 0 || left != 0)) return TF_BLOB_MALFORMED;
  b->selftest_count = count;
  b->selftest_inputs = blob + r.at;
  b->selftest_expected = blob + r.at + count * in;
  return TF_BLOB_OK;
}

/* Reads on to the next I/O record of `direction` (the blob lists inputs and outputs in one run); 0 at the end. */
static int next_io(const tf_blob *b, reader *r, tf_blob_direction direction, tf_blob_tensor *t) {
  while (r->ok && r->at < b->steps_offset) {
    uint32_t d;
    read_io(r, &d, t);
    if (d == (uint32_t)direction) return 1;
  }
  return 0;
}

tf_blob_status tf_blob_io(const tf_blob *b, tf_blob_direction direction, uint32_t index, tf_blob_tensor *out) {
  reader r = {b->blob, b->io_offset, b->steps_offset, 1};
  while (next_io(b, &r, direction, out))
    if (index-- == 0) return TF_BLOB_OK;
  return TF_BLOB_BAD_INDEX;
}

tf_blob_status tf_blob_invoke(const tf_blob *b, const uint8_t *input, uint8_t *output) {
  tf_blob_tensor t;
  reader io = {b->blob, b->io_offset, b->steps_offset, 1};
  for (const uint8_t *in = input; next_io(b, &io, TF_BLOB_INPUT, &t); in += t.bytes) memcpy(b->arena + t.arena_offset, in, t.bytes);
  reader r = {b->blob, b->steps_offset, b->blob_bytes, 1};
  void *ptr[TF_KERNEL_MAX_POINTERS];
  int32_t scalars[TF_KERNEL_MAX_SCALARS];
  for (uint32_t s = 0; s < b->step_count; s++) {
    step_record st;
    read_step(&r, &st);
    int k = find_kernel(st.kernel, st.kernel_bytes);
    if (!r.ok || k < 0) return TF_BLOB_MALFORMED; /* tf_blob_open checked it: only a blob changed since */
    for (uint32_t i = 0; i < st.pointers; i++) {
      uint32_t kind = st.pointer_records[5 * i], offset = le32(st.pointer_records + 5 * i + 1);
      /* Constants are read-only; the kernels take them through const pointers. */
      ptr[i] = kind == KIND_ARENA ? (void *)(b->arena + offset) : kind == KIND_CONST ? (void *)(uintptr_t)(b->constants + offset) : 0;
    }
    for (uint32_t i = 0; i < st.scalars; i++) scalars[i] = (int32_t)le32(st.scalar_words + 4 * i);
    tf_kernel_table[k].call(ptr, scalars);
    TF_MARK_OP_END();
  }
  io.at = b->io_offset;
  for (uint8_t *out = output; next_io(b, &io, TF_BLOB_OUTPUT, &t); out += t.bytes) memcpy(out, b->arena + t.arena_offset, t.bytes);
  return TF_BLOB_OK;
}

const char *tf_blob_status_name(tf_blob_status status) {
  switch (status) {
    case TF_BLOB_OK: return "ok";
    case TF_BLOB_TRUNCATED: return "truncated";
    case TF_BLOB_BAD_MAGIC: return "bad magic";
    case TF_BLOB_BAD_VERSION: return "unsupported format version";
    case TF_BLOB_BAD_HEADER: return "bad header";
    case TF_BLOB_BAD_CRC: return "bad CRC";
    case TF_BLOB_MALFORMED: return "malformed";
    case TF_BLOB_UNKNOWN_KERNEL: return "unknown kernel";
    case TF_BLOB_KERNEL_ARGS: return "kernel argument count";
    case TF_BLOB_ARENA_TOO_SMALL: return "arena too small";
    case TF_BLOB_MISALIGNED: return "misaligned";
    case TF_BLOB_BAD_INDEX: return "no such tensor";
  }
  return "unknown status";
}
