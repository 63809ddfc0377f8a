/* The model blob interpreter: runs a tinyforge model blob (.tfb, version 1, formats/blob/blob-format.ts) found in
 * memory (a model slot in flash) with the C kernels of targets/c/kernels/, so the firmware's code and its model are
 * apart. Same meaning as the WASM runtime (runtime-as/host/runtime.ts): each step calls the kernel its id names with
 * its pointer arguments (arena or constant offsets) and int32 scalars, in blob order.
 *
 *   tf_blob b;
 *   if (tf_blob_open(&b, blob, blob_bytes, arena, sizeof arena) != TF_BLOB_OK) ...;  // checks everything once
 *   tf_blob_invoke(&b, input, output);  // inputs concatenated in graph order, outputs likewise
 *
 * The blob is read in place (never copied): it must stay readable and be 16-byte aligned (its constants are). */
#ifndef TF_BLOB_H
#define TF_BLOB_H

#include <stdint.h>

#define TF_BLOB_MAGIC "TFGB"
#define TF_BLOB_VERSION 1u
#define TF_BLOB_HEADER_BYTES 32u
#define TF_BLOB_MAX_RANK 8u
#define TF_BLOB_SELFTEST_MAGIC "TFST"

typedef enum {
  TF_BLOB_OK = 0,
  TF_BLOB_TRUNCATED = -1,        /* fewer bytes than the header, or than the header's total size */
  TF_BLOB_BAD_MAGIC = -2,        /* does not start with "TFGB" */
  TF_BLOB_BAD_VERSION = -3,      /* a format version this firmware does not read */
  TF_BLOB_BAD_HEADER = -4,       /* header size field wrong */
  TF_BLOB_BAD_CRC = -5,          /* CRC-32 of bytes [32, total) differs from the recorded one */
  TF_BLOB_MALFORMED = -6,        /* a record runs past the end, or an offset points outside its region */
  TF_BLOB_UNKNOWN_KERNEL = -7,   /* a step names a kernel this firmware does not have */
  TF_BLOB_KERNEL_ARGS = -8,      /* a step gives a kernel a different number of pointers or scalars than it takes */
  TF_BLOB_ARENA_TOO_SMALL = -9,  /* the model needs more arena than the firmware reserves */
  TF_BLOB_MISALIGNED = -10,      /* blob or arena not 16-byte aligned */
  TF_BLOB_BAD_INDEX = -11,       /* tf_blob_io: no such input or output */
} tf_blob_status;

typedef enum { TF_BLOB_INPUT = 0, TF_BLOB_OUTPUT = 1 } tf_blob_direction;

typedef struct {
  const uint8_t *blob;
  uint32_t blob_bytes;
  const uint8_t *constants;
  uint32_t const_bytes;
  uint8_t *arena;
  uint32_t arena_bytes;       /* what the model needs (at most the capacity given to tf_blob_open) */
  uint32_t io_count;
  uint32_t io_offset;         /* byte offset of the first I/O record */
  uint32_t step_count;
  uint32_t steps_offset;      /* byte offset of the first step record */
  uint32_t input_count, output_count;
  uint32_t input_bytes, output_bytes; /* all inputs (outputs) concatenated */
  /* The optional self-test section: selftest_count vectors of input_bytes, then as many expected outputs. */
  uint32_t selftest_count;
  const uint8_t *selftest_inputs;
  const uint8_t *selftest_expected;
  const char *name;           /* not NUL-terminated: name_bytes long */
  uint32_t name_bytes;
  /* Where tf_blob_open stopped: the step it refused (-1 when not a step), and for TF_BLOB_ARENA_TOO_SMALL
   * nothing else is needed: arena_bytes holds the need. */
  int32_t bad_step;
} tf_blob;

typedef struct {
  const char *name; /* not NUL-terminated */
  uint32_t name_bytes;
  uint8_t dtype;    /* index into int8, uint8, int16, int32, int64, float32, float16, bool */
  uint8_t quantized;
  uint8_t rank;
  uint32_t shape[TF_BLOB_MAX_RANK];
  uint32_t bytes;
  uint32_t arena_offset;
  float scale;      /* 0 when not quantized */
  int32_t zero_point;
} tf_blob_tensor;

/* Checks magic, version, sizes, CRC-32, every record's bounds (and the self-test section's, when there is one), every step's kernel id and argument counts, and
 * the arena the model needs against `arena_capacity` bytes at `arena`. */
tf_blob_status tf_blob_open(tf_blob *b, const uint8_t *blob, uint32_t blob_bytes, uint8_t *arena, uint32_t arena_capacity);
/* Input or output `index` of an opened blob. */
tf_blob_status tf_blob_io(const tf_blob *b, tf_blob_direction direction, uint32_t index, tf_blob_tensor *out);
/* One inference: `input` holds input_bytes, `output` receives output_bytes. */
tf_blob_status tf_blob_invoke(const tf_blob *b, const uint8_t *input, uint8_t *output);
/* A short name for a status ("bad CRC", "unknown kernel", ...). */
const char *tf_blob_status_name(tf_blob_status status);

#endif
