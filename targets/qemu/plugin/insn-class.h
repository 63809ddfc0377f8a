/* Instruction classes that cost differently on a microcontroller core, read from QEMU's disassembly of each guest
 * instruction (Arm Thumb-2 and RISC-V mnemonics). The cycle a class costs is the core's business (simulator/cost);
 * this only sorts. */
#ifndef TF_INSN_CLASS_H
#define TF_INSN_CLASS_H

#include <ctype.h>
#include <string.h>

enum insn_class {
  CLASS_LOAD,           /* a single load (LDR*, VLDR, LW…) after something else than a load or store */
  CLASS_LOAD_PIPELINED, /* a single load right after a load or store: Cortex-M pipelines neighbours */
  CLASS_LOAD_MULTIPLE,  /* LDM, POP, LDRD, VLDM, VPOP */
  CLASS_STORE,          /* a single store (STR*, VSTR, SW…) */
  CLASS_STORE_MULTIPLE, /* STM, PUSH, STRD, VSTM, VPUSH */
  CLASS_MUL,            /* 32-bit multiplies and multiply-accumulates: MUL, MLA, SMLAD, SMLABB, SMULL, VMLA… */
  CLASS_DIV,            /* SDIV, UDIV, VDIV, VSQRT, DIV, REM */
  CLASS_BRANCH,         /* every branch, taken or not (the plugin splits them at run time) */
  CLASS_OTHER,
  CLASS_KINDS
};

static const char *const insn_class_names[CLASS_KINDS] = {
  "load", "loadPipelined", "loadMultiple", "store", "storeMultiple", "mul", "div", "branch", "other",
};

static int starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static int is_one_of(const char *s, const char *const *list) {
  for (; *list; list++)
    if (strcmp(s, *list) == 0) return 1;
  return 0;
}

static const char *const arm_conditions[] = {"eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs", "vc",
                                             "hi", "ls", "ge", "lt", "gt", "le", "al", NULL};

/* A leading encoding word: QEMU's RISC-V disassembler prints the instruction's hex before its mnemonic
 * ("00052783          lw   a5,0(a0)"); Arm's does not. 4, 8 or 16 hex digits then a space (no mnemonic is that). */
static const char *skip_encoding(const char *s) {
  size_t n = 0;
  while (isxdigit((unsigned char)s[n])) n++;
  if ((n == 4 || n == 8 || n == 16) && (s[n] == ' ' || s[n] == '\t')) {
    s += n;
    while (*s == ' ' || *s == '\t') s++;
  }
  return s;
}

/* The mnemonic, lower case, without Thumb width (.w/.n) or RISC-V compressed (c.) marks. */
static void insn_mnemonic(const char *disas, char *out, size_t size) {
  size_t n = 0;
  while (*disas == ' ' || *disas == '\t') disas++;
  disas = skip_encoding(disas);
  if (starts(disas, "c.")) disas += 2;
  while (disas[n] && !isspace((unsigned char)disas[n]) && n + 1 < size) {
    out[n] = (char)tolower((unsigned char)disas[n]);
    n++;
  }
  out[n] = 0;
  char *dot = strchr(out, '.');
  if (dot && (strcmp(dot, ".w") == 0 || strcmp(dot, ".n") == 0)) *dot = 0;
}

static int is_branch(const char *m) {
  static const char *const exact[] = {"b", "bl", "blx", "bx", "cbz", "cbnz", "tbb", "tbh",           /* Arm */
                                      "beq", "bne", "blt", "bge", "bltu", "bgeu", "beqz", "bnez",     /* RISC-V */
                                      "blez", "bgez", "bltz", "bgtz", "bgt", "ble", "bgtu", "bleu",
                                      "j", "jal", "jr", "jalr", "ret", NULL};
  if (is_one_of(m, exact)) return 1;
  /* Arm conditional branches: b<cond>, bl/bx with a condition inside an IT block. */
  if (m[0] == 'b' && strlen(m) == 3 && is_one_of(m + 1, arm_conditions)) return 1;
  return 0;
}

static enum insn_class insn_class_of(const char *disas, enum insn_class previous) {
  char m[32];
  insn_mnemonic(disas, m, sizeof m);
  if (is_branch(m)) return CLASS_BRANCH;
  /* Arm and VFP transfers */
  if (starts(m, "ldm") || starts(m, "pop") || starts(m, "ldrd") || starts(m, "vldm") || starts(m, "vpop")) return CLASS_LOAD_MULTIPLE;
  if (starts(m, "stm") || starts(m, "push") || starts(m, "strd") || starts(m, "vstm") || starts(m, "vpush")) return CLASS_STORE_MULTIPLE;
  static const char *const rv_loads[] = {"lb", "lh", "lw", "lbu", "lhu", "flw", "lwsp", "flwsp", NULL};
  static const char *const rv_stores[] = {"sb", "sh", "sw", "fsw", "swsp", "fswsp", NULL};
  int load = starts(m, "ldr") || starts(m, "vldr") || is_one_of(m, rv_loads);
  if (load) return previous == CLASS_LOAD || previous == CLASS_LOAD_PIPELINED || previous == CLASS_STORE ? CLASS_LOAD_PIPELINED : CLASS_LOAD;
  if (starts(m, "str") || starts(m, "vstr") || is_one_of(m, rv_stores)) return CLASS_STORE;
  static const char *const muls[] = {"mul", "mla", "mls", "smul", "smla", "smls", "smmul", "smmla", "smmls", "smuad",
                                     "smusd", "umull", "umlal", "umaal", "smull", "smlal", "vmul", "vmla", "vmls",
                                     "vnmul", "vnmla", "vnmls", "vfma", "vfms", "vfnma", "vfnms", "mulh", "mulhu",
                                     "mulhsu", NULL};
  for (const char *const *p = muls; *p; p++)
    if (starts(m, *p)) return CLASS_MUL;
  static const char *const divs[] = {"sdiv", "udiv", "vdiv", "vsqrt", "div", "divu", "rem", "remu", NULL};
  for (const char *const *p = divs; *p; p++)
    if (starts(m, *p)) return CLASS_DIV;
  return CLASS_OTHER;
}

#endif
