#include "input-stats.h"

/* The wire format is the header's first 40 words, then 88 bytes per group; no padding in either. */
typedef char tf_channel_stats_layout_check[(sizeof(tf_channel_stats) == 88) ? 1 : -1];
typedef char tf_input_stats_layout_check[(__builtin_offsetof(tf_input_stats, group) == TF_STATS_HEADER_BYTES) ? 1 : -1];

void tf_input_stats_reset(tf_input_stats *s) {
  s->invocations = 0;
  for (uint32_t g = 0; g < s->groups; g++) {
    tf_channel_stats *st = &s->group[g];
    st->count = 0;
    st->sum = 0;
    st->sum_sq = 0;
    for (int b = 0; b < TF_STATS_BINS; b++) st->hist[b] = 0;
  }
  for (int k = 0; k < TF_STATS_MAX_CLASSES; k++) s->top1[k] = 0;
  for (int b = 0; b < TF_STATS_BINS; b++) s->top1_hist[b] = 0;
}

void tf_input_stats_init(tf_input_stats *s, tf_channel_stats *storage, uint32_t capacity, uint32_t channels, uint32_t stride, uint32_t elements, uint32_t classes) {
  if (channels == 0 || stride == 0 || elements == 0 || elements % (channels * stride) != 0) {
    channels = 1;
    stride = elements ? elements : 1;
  }
  s->magic = TF_STATS_MAGIC;
  s->channels = channels;
  s->stride = stride;
  uint32_t groups = channels < TF_STATS_MAX_GROUPS ? channels : TF_STATS_MAX_GROUPS;
  s->groups = groups < capacity ? groups : capacity;
  s->group = storage;
  s->elements = elements;
  s->classes = classes >= 2 && classes <= TF_STATS_MAX_CLASSES ? classes : 0;
  s->outer = elements / (channels * stride);
  tf_input_stats_reset(s);
}

void tf_input_stats_update(tf_input_stats *s, const int8_t *input, const int8_t *output) {
  const int8_t *p = input;
  for (uint32_t o = 0; o < s->outer; o++) {
    /* group = floor(channel * groups / channels), stepped without a division (an M0 has no divide instruction) */
    uint32_t g = 0, acc = 0;
    for (uint32_t c = 0; c < s->channels; c++) {
      tf_channel_stats *st = &s->group[g];
      int32_t sum = 0;
      uint32_t sum_sq = 0; /* stride * 128^2 fits 32 bits for any stride below 262,144 */
      for (uint32_t k = 0; k < s->stride; k++) {
        int32_t v = *p++;
        sum += v;
        sum_sq += (uint32_t)(v * v);
        st->hist[(uint32_t)(v + 128) >> 4]++;
      }
      st->count += s->stride;
      st->sum += sum;
      st->sum_sq += sum_sq;
      acc += s->groups;
      if (acc >= s->channels) {
        acc -= s->channels;
        g++;
      }
    }
  }
  if (s->classes) {
    uint32_t top = 0;
    for (uint32_t k = 1; k < s->classes; k++) {
      if (output[k] > output[top]) top = k;
    }
    s->top1[top]++;
    s->top1_hist[(uint32_t)(output[top] + 128) >> 4]++;
  }
  s->invocations++;
}
