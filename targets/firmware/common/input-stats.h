/* Running statistics of the model's input (and of its top-1 class), in constant memory, for drift monitoring.
 *
 * The input's channel axis is its innermost axis longer than 1 (KWS [1,49,10,1]: the 10 MFCC coefficients); element i
 * belongs to channel (i / stride) % channels. Channels are folded into at most TF_STATS_MAX_GROUPS groups
 * (group = channel * groups / channels). Per group: count, sum and sum of squares of the int8 values in 64-bit
 * integers (exact: mean and variance are computed by the host, no float on the device) and a 16-bin histogram
 * (bin = (value + 128) >> 4). For a classifier (2..TF_STATS_MAX_CLASSES int8 outputs), the top-1 class counts and a
 * histogram of the top-1 score. formats/input-stats/ holds the host side (the same rules, the record's layout);
 * simulator/drift/input-stats.ts is the TypeScript twin of the update.
 *
 * The groups live in storage the caller sizes to the model (main.c: TF_MODEL_STATS_GROUPS of them), so a model of
 * few channels pays for few. The STATS answer is the header's first TF_STATS_HEADER_BYTES bytes, then the groups'
 * bytes: every tinyforge target is little-endian and neither has padding (checked in input-stats.c). */
#ifndef TF_INPUT_STATS_H
#define TF_INPUT_STATS_H

#include <stdint.h>

#define TF_STATS_MAGIC 0x31535446u /* "TFS1" */
#define TF_STATS_BINS 16
#define TF_STATS_MAX_GROUPS 16
#define TF_STATS_MAX_CLASSES 16

typedef struct {
  uint64_t count;
  int64_t sum;
  uint64_t sum_sq;
  uint32_t hist[TF_STATS_BINS];
} tf_channel_stats;

typedef struct {
  uint32_t magic;
  uint32_t channels;    /* input channels (the channel axis' length) */
  uint32_t stride;      /* elements between two channels (product of the axes after the channel axis) */
  uint32_t groups;      /* statistics kept: min(channels, TF_STATS_MAX_GROUPS) */
  uint32_t elements;    /* elements of the input */
  uint32_t classes;     /* top-1 tracked over this many outputs (0: not a classifier) */
  uint32_t invocations; /* inferences since the last reset */
  uint32_t outer;       /* elements / (channels * stride) */
  uint32_t top1[TF_STATS_MAX_CLASSES];
  uint32_t top1_hist[TF_STATS_BINS];
  tf_channel_stats *group; /* `groups` of them; not part of the wire header */
} tf_input_stats;

#define TF_STATS_HEADER_BYTES (32 + 4 * (TF_STATS_MAX_CLASSES + TF_STATS_BINS))

/* A model header without the generated TF_MODEL_STATS_* geometry (a hand-written wrapper, as the KWS audio example's)
 * keeps no input statistics: one empty group, nothing counted but the inferences. */
#if defined(TF_MODEL_INVOKE) && !defined(TF_MODEL_STATS_GROUPS)
#define TF_MODEL_STATS_CHANNELS 1
#define TF_MODEL_STATS_STRIDE 1
#define TF_MODEL_STATS_ELEMENTS 0
#define TF_MODEL_STATS_CLASSES 0
#define TF_MODEL_STATS_GROUPS 1
#endif

/* Sets the geometry and clears the statistics; `storage` holds `capacity` groups (groups = min(channels, capacity,
 * TF_STATS_MAX_GROUPS)). Channels or stride of 0, or a geometry that does not divide `elements`, fall back to one
 * channel over the whole input; classes outside 2..TF_STATS_MAX_CLASSES to 0. */
void tf_input_stats_init(tf_input_stats *s, tf_channel_stats *storage, uint32_t capacity, uint32_t channels, uint32_t stride, uint32_t elements, uint32_t classes);
void tf_input_stats_reset(tf_input_stats *s);
/* One inference: `input` holds `elements` int8 values, `output` at least `classes` (may be 0 when classes is 0). */
void tf_input_stats_update(tf_input_stats *s, const int8_t *input, const int8_t *output);

#endif
