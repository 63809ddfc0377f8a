/* Host driver for targets/firmware/common/input-stats.c: reads a geometry and inferences from stdin, writes the
 * STATS record (as main.c sends it) after each `r`(ead) or `z` (read and reset) command.
 *   stdin: u32 channels, stride, elements, classes; then commands: 'u' input[elements] output[classes] | 'r' | 'z' */
#include <stdio.h>
#include <stdlib.h>

#include "input-stats.h"

static uint32_t read_u32(void) {
  uint8_t b[4];
  if (fread(b, 1, 4, stdin) != 4) exit(2);
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int main(void) {
  static tf_input_stats s;
  static tf_channel_stats groups[TF_STATS_MAX_GROUPS];
  uint32_t channels = read_u32(), stride = read_u32(), elements = read_u32(), classes = read_u32();
  tf_input_stats_init(&s, groups, TF_STATS_MAX_GROUPS, channels, stride, elements, classes);
  int8_t *input = malloc(elements ? elements : 1), output[256];
  int cmd;
  while ((cmd = getchar()) != EOF) {
    if (cmd == 'u') {
      if (fread(input, 1, elements, stdin) != elements || fread(output, 1, classes, stdin) != classes) return 3;
      tf_input_stats_update(&s, input, output);
    } else {
      fwrite(&s, TF_STATS_HEADER_BYTES, 1, stdout); /* as main.c's STATS answer */
      fwrite(groups, sizeof(tf_channel_stats), s.groups, stdout);
      if (cmd == 'z') tf_input_stats_reset(&s);
    }
  }
  free(input);
  return 0;
}
