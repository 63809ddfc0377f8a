/* The model.h of a slot firmware: main.c's TF_MODEL_* names, answered by the model found in a flash slot at boot
 * (slot-boot.c) instead of generated C. The firmware has no model of its own. */
#ifndef TF_SLOT_MODEL_H
#define TF_SLOT_MODEL_H

#include "board.h"
#include "slot-boot.h"

#define TF_MODEL_FROM_SLOT 1
#define TF_MODEL_BOOT() tf_slot_boot(board_putc)
#define TF_MODEL_NAME (tf_slot_model_name)
#define TF_MODEL_INPUT_BYTES (tf_slot_model.input_bytes)
#define TF_MODEL_OUTPUT_BYTES (tf_slot_model.output_bytes)
#define TF_MODEL_ARENA_BYTES (tf_slot_model.arena_bytes)
#define TF_MODEL_INVOKE(input, output) tf_slot_invoke((input), (output))
#define TF_MODEL_INPUT_CAPACITY TF_SLOT_IO_BYTES
#define TF_MODEL_OUTPUT_CAPACITY TF_SLOT_IO_BYTES
#define TF_MODEL_EXTRA_COMMAND(cmd, payload, len) tf_slot_command((cmd), (payload), (len))
/* Drift statistics: storage for the most groups any model keeps, the geometry of the model found at boot. */
#define TF_MODEL_STATS_GROUPS TF_STATS_MAX_GROUPS
#define TF_MODEL_STATS_CHANNELS (tf_slot_stats_shape().channels)
#define TF_MODEL_STATS_STRIDE (tf_slot_stats_shape().stride)
#define TF_MODEL_STATS_ELEMENTS (tf_slot_stats_shape().elements)
#define TF_MODEL_STATS_CLASSES (tf_slot_stats_shape().classes)

#endif
