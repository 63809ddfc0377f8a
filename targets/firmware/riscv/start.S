/* RISC-V reset: stack and global pointer, then C (riscv_c_start) does the RAM setup. */
  .section .text.start, "ax"
  .global _start
_start:
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

  .align 2
trap_entry:
  call riscv_trap
  j trap_entry
