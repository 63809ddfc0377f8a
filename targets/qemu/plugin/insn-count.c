/* Counts guest instructions and records the running count whenever a marker function starts.
 *
 *   -plugin insn-count.so,out=FILE,begin=ADDR,op=ADDR,end=ADDR
 *
 * begin/op/end are the addresses of tf_mark_invoke_begin, tf_mark_op_end and tf_mark_invoke_end.
 * FILE receives one line per marker hit, in execution order: "B|O|E <instructions so far>", then
 * "T <total>". Counting is per translation block, added when the block starts, so the snapshot taken
 * at a marker includes the marker block itself; differences between snapshots are exact and repeatable.
 *
 * With hist=FILE it also writes, at exit, one line per translated block: "<address> <instructions> <executions>",
 * a profile of where the instructions went. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-api.h"

TF_PLUGIN_EXPORT int qemu_plugin_version = 1;

enum { MARK_BEGIN, MARK_OP, MARK_END, MARK_KINDS };
static const char mark_letter[MARK_KINDS] = {'B', 'O', 'E'};

static uint64_t executed;
static uint64_t mark_addr[MARK_KINDS];
static int mark_set[MARK_KINDS];
static FILE *out;

/* Per-block execution counters for hist=FILE, allocated as blocks are translated. */
struct block_count {
  uint64_t vaddr;
  uint64_t insns;
  uint64_t executions;
  struct block_count *next;
};
static struct block_count *blocks;
static const char *hist_path;

static void on_mark(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  fprintf(out, "%c %" PRIu64 "\n", mark_letter[(uintptr_t)userdata], executed);
  fflush(out); /* an exit through semihosting may skip atexit handlers */
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
  if (hist_path && n > 0) {
    struct block_count *b = calloc(1, sizeof *b);
    if (b) {
      b->vaddr = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, 0));
      b->insns = n;
      b->next = blocks;
      blocks = b;
      qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->executions, 1);
    }
  }
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t pc = qemu_plugin_insn_vaddr(insn);
    for (uintptr_t k = 0; k < MARK_KINDS; k++)
      if (mark_set[k] && pc == mark_addr[k])
        qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, (void *)k);
  }
}

static void at_exit(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  fprintf(out, "T %" PRIu64 "\n", executed);
  fclose(out);
  if (hist_path) {
    FILE *h = fopen(hist_path, "w");
    for (struct block_count *b = blocks; h && b; b = b->next)
      fprintf(h, "0x%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", b->vaddr, b->insns, b->executions);
    if (h) fclose(h);
  }
}

TF_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  const char *path = NULL;
  static const char *const names[MARK_KINDS] = {"begin=", "op=", "end="};
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], "out=", 4) == 0) {
      path = argv[i] + 4;
      continue;
    }
    if (strncmp(argv[i], "hist=", 5) == 0) {
      hist_path = argv[i] + 5;
      continue;
    }
    int known = 0;
    for (int k = 0; k < MARK_KINDS; k++) {
      size_t len = strlen(names[k]);
      if (strncmp(argv[i], names[k], len) == 0) {
        mark_addr[k] = strtoull(argv[i] + len, NULL, 0);
        mark_set[k] = 1;
        known = 1;
      }
    }
    if (!known) {
      fprintf(stderr, "insn-count: unknown argument '%s' (expected out=, hist=, begin=, op=, end=)\n", argv[i]);
      return -1;
    }
  }
  if (!path) {
    fprintf(stderr, "insn-count: missing out=FILE\n");
    return -1;
  }
  out = fopen(path, "w");
  if (!out) {
    fprintf(stderr, "insn-count: cannot write %s\n", path);
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, at_exit, NULL);
  return 0;
}
