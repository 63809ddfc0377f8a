/* Exercises the power-cut harness's simulated flash (targets/firmware/update/host/sim-nor-flash.c) on its own, in
 * both geometries, and prints what each operation did as one JSON object (tests/update/sim-flash.test.ts). */
#include <stdio.h>
#include <string.h>

#include "sim-nor-flash.h"

#define SIZE 8192u
#define PAGE 4096u

static uint8_t memory[SIZE], dword_state[SIZE / 8];
static sim_nor_flash f;
static jmp_buf cut;

static void fresh(sim_flash_geometry g) {
  memset(memory, 0xff, sizeof memory);
  memset(dword_state, 0, sizeof dword_state);
  sim_nor_flash_init(&f, g, memory, dword_state, SIZE, PAGE);
  f.power_cut = &cut;
}

static int program(uint32_t addr, const char *text) {
  uint8_t cell[8];
  memcpy(cell, text, 8);
  return f.driver.program_cell(&f.driver, addr, cell);
}

static int readable(uint32_t addr, uint32_t len) {
  uint8_t buf[PAGE];
  return f.driver.read(&f.driver, addr, buf, len) == 0;
}

/* Runs one program with a power cut inside it (torn) or before it; 1 when the cut happened. */
static int cut_program(uint32_t addr, const char *text, int torn) {
  f.cut_at = f.ops;
  f.cut_torn = torn;
  int was_cut = 1;
  if (setjmp(cut) == 0) {
    program(addr, text);
    was_cut = 0;
  }
  f.cut_at = -1;
  return was_cut;
}

static int cut_erase(uint32_t addr) {
  f.cut_at = f.ops;
  f.cut_torn = 1;
  int was_cut = 1;
  if (setjmp(cut) == 0) {
    f.driver.erase_page(&f.driver, addr);
    was_cut = 0;
  }
  f.cut_at = -1;
  return was_cut;
}

int main(void) {
  const char *names[2] = {"word", "ecc-dword"};
  printf("{");
  for (int g = 0; g < 2; g++) {
    fresh(g == 0 ? SIM_FLASH_WORD : SIM_FLASH_ECC_DOUBLE_WORD);
    int first = program(0, "ABCDEFGH");
    long ops_per_cell = f.ops;
    int again_same = program(0, "ABCDEFGH");
    int again_zero = program(0, "\0\0\0\0\0\0\0\0");
    int misaligned = program(4, "ABCDEFGH");
    uint8_t back[8];
    int read_ok = f.driver.read(&f.driver, 0, back, 8) == 0 && memcmp(back, "ABCDEFGH", 8) == 0;
    /* A program cut inside: the cell is neither erased nor programmed, or unreadable. */
    int torn_cut = cut_program(8, "IJKLMNOP", 1);
    int torn_readable = readable(8, 8);
    int torn_erased = memcmp(memory + 8, "\xff\xff\xff\xff\xff\xff\xff\xff", 8) == 0;
    int torn_reprogram = program(8, "IJKLMNOP");
    int neighbours_readable = readable(0, 8) && readable(16, 8);
    /* A cut before the program: nothing happened, the cell takes a program after. */
    int before_cut = cut_program(24, "QRSTUVWX", 0);
    int before_erased = readable(24, 8) && memcmp(memory + 24, "\xff\xff\xff\xff\xff\xff\xff\xff", 8) == 0;
    int after_before = program(24, "QRSTUVWX");
    /* An erase makes every cell of the page erased and programmable again. */
    int erased_ok = f.driver.erase_page(&f.driver, 0) == 0 && readable(0, PAGE);
    int reprogram_after_erase = program(8, "IJKLMNOP");
    /* An erase cut half way: the first half erased; the second half unreadable on the ECC flash. */
    program(PAGE + PAGE - 8, "YZ012345");
    int erase_cut = cut_erase(PAGE);
    int first_half = readable(PAGE, PAGE / 2);
    int second_half = readable(PAGE + PAGE / 2, PAGE / 2);
    int other_page = readable(8, 8);
    f.driver.erase_page(&f.driver, PAGE);
    int healed = readable(PAGE, PAGE);
    printf("%s\"%s\":{\"program\":%d,\"opsPerCell\":%ld,\"programAgainSame\":%d,\"programAgainZero\":%d,\"misaligned\":%d,\"readBack\":%d,"
           "\"tornCut\":%d,\"tornReadable\":%d,\"tornErased\":%d,\"tornReprogram\":%d,\"neighboursReadable\":%d,"
           "\"beforeCut\":%d,\"beforeErased\":%d,\"programAfterCutBefore\":%d,\"eraseThenReadable\":%d,\"reprogramAfterErase\":%d,"
           "\"eraseCut\":%d,\"tornEraseFirstHalfReadable\":%d,\"tornEraseSecondHalfReadable\":%d,\"otherPageReadable\":%d,\"eraseHeals\":%d,"
           "\"rewriteViolations\":%ld,\"bitSetViolations\":%ld,\"eccReadErrors\":%ld}",
           g ? "," : "", names[g], first, ops_per_cell, again_same, again_zero, misaligned, read_ok, torn_cut, torn_readable, torn_erased,
           torn_reprogram, neighbours_readable, before_cut, before_erased, after_before, erased_ok, reprogram_after_erase, erase_cut,
           first_half, second_half, other_page, healed, f.rewrite_violations, f.bit_set_violations, f.ecc_read_errors);
  }
  printf("}\n");
  return 0;
}
