/* RISC-V reset: stack and global pointer, then C (riscv_c_start) does the RAM setup. */
  .section .text.start, "ax"
  .global _start
_start:
  /* No interrupts: whatever the ROM left enabled must not reach a handler this program does not have. */
  csrci mstatus, 8
  la sp, __stack_top
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la t0, trap_entry
  csrw mtvec, t0
  call riscv_c_start
1:
  j 1b

  /* Its own section: the ESP32-C3 script places it 256-byte aligned (that core takes mtvec's base from bits
   * 31..8); elsewhere it stays in place (.text.*), so QEMU's instruction counts keep their layout. */
  .section .text.trap_entry, "ax"
  .align 2
trap_entry:
  call riscv_trap
  j trap_entry
