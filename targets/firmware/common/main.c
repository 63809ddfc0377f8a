/* The firmware's whole life: check the model against its embedded vectors (selftest-run.c), then serve the serial protocol.
 * The model comes from the generated model.h, which names its entry points through TF_MODEL_* macros; a slot firmware's
 * model.h (slots/) answers them from the model it finds in flash at boot (TF_MODEL_BOOT). */
#include <stdint.h>

#include "board.h"
#include "model.h"
#include "input-stats.h"
#include "selftest.h"
#include "serial-protocol.h"

#ifndef TF_MODEL_INPUT_CAPACITY
#define TF_MODEL_INPUT_CAPACITY (TF_MODEL_INPUT_BYTES > 16 ? TF_MODEL_INPUT_BYTES : 16)
#define TF_MODEL_OUTPUT_CAPACITY TF_MODEL_OUTPUT_BYTES
#endif
#ifndef TF_MODEL_BOOT
#define TF_MODEL_BOOT() ((void)0)
#endif
/* Commands the model's side answers itself (a slot firmware's updates, slots/model.h); 1 when it did. */
#ifndef TF_MODEL_EXTRA_COMMAND
#define TF_MODEL_EXTRA_COMMAND(cmd, payload, len) 0
#endif

static int8_t input_buffer[TF_MODEL_INPUT_CAPACITY];
static int8_t output_buffer[TF_MODEL_OUTPUT_CAPACITY];
static tf_input_stats input_stats;
static tf_channel_stats input_stats_groups[TF_MODEL_STATS_GROUPS];

static void put_text(const char *s) {
  while (*s) board_putc((uint8_t)*s++);
}

static void put_u32le(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static int serve(void) {
  for (;;) {
    uint32_t len;
    int crc_ok;
    uint8_t cmd = tf_read_request((uint8_t *)input_buffer, sizeof input_buffer, &len, &crc_ok);
    if (!crc_ok) {
      tf_send_response(TF_STATUS_BAD_CRC, 0, 0, 0, 0);
      continue;
    }
    if (cmd == TF_CMD_INFO) {
      const char *name = TF_MODEL_NAME;
      uint32_t name_len = 0;
      while (name[name_len]) name_len++;
      uint8_t head[12];
      put_u32le(head, TF_MODEL_INPUT_BYTES);
      put_u32le(head + 4, TF_MODEL_OUTPUT_BYTES);
      put_u32le(head + 8, TF_MODEL_ARENA_BYTES);
      tf_send_response(TF_STATUS_OK, head, 12, (const uint8_t *)name, name_len);
    } else if (cmd == TF_CMD_INVOKE) {
      if (len != TF_MODEL_INPUT_BYTES) {
        tf_send_response(TF_STATUS_BAD_LENGTH, 0, 0, 0, 0);
        continue;
      }
      uint32_t start = board_cycles();
      int status = tf_invoke(input_buffer, output_buffer);
      uint32_t cycles = board_cycles() - start;
      uint8_t head[8];
      put_u32le(head, cycles);
      put_u32le(head + 4, board_stack_used());
      if (status == 0) tf_input_stats_update(&input_stats, input_buffer, output_buffer);
      if (status != 0) tf_send_response((uint8_t)(0x80 | (status & 0x7f)), head, 8, 0, 0);
      else tf_send_response(TF_STATUS_OK, head, 8, (const uint8_t *)output_buffer, TF_MODEL_OUTPUT_BYTES);
    } else if (cmd == TF_CMD_STATS) { /* payload bit 0: reset after reading */
      tf_send_response(TF_STATUS_OK, (const uint8_t *)&input_stats, TF_STATS_HEADER_BYTES, (const uint8_t *)input_stats_groups, input_stats.groups * sizeof(tf_channel_stats));
      if (len >= 1 && (input_buffer[0] & 1)) tf_input_stats_reset(&input_stats);
    } else if (cmd == TF_CMD_QUIT) {
      tf_send_response(TF_STATUS_OK, 0, 0, 0, 0);
      return len >= 1 ? (uint8_t)input_buffer[0] : 0;
    } else if (TF_MODEL_EXTRA_COMMAND(cmd, (const uint8_t *)input_buffer, len)) {
      /* answered there */
    } else {
      tf_send_response(TF_STATUS_UNKNOWN_COMMAND, 0, 0, 0, 0);
    }
  }
}

int main(void) {
  board_init();
  TF_MODEL_BOOT();
  put_text("tinyforge firmware, model ");
  put_text(TF_MODEL_NAME);
  put_text("\n");
  uint32_t failures = tf_selftest_run(output_buffer, board_putc);
  tf_input_stats_init(&input_stats, input_stats_groups, TF_MODEL_STATS_GROUPS, TF_MODEL_STATS_CHANNELS, TF_MODEL_STATS_STRIDE, TF_MODEL_STATS_ELEMENTS, TF_MODEL_STATS_CLASSES);
  put_text("TF-READY\n");
  int code = serve();
  /* A trailer after the last frame: should a host side drop the final bytes when the board stops (seen with
   * QEMU under load), it loses padding, not an answer. */
  put_text("\nTF-END ................................................................\n");
  /* A failed self-test wins over the requested code: an emulator run must never look green. */
  return failures ? 1 : code;
}
