# A hand-counted loop for the instruction-class plugin on QEMU virt (RV32IMC): tests/firmware/instruction-class-loops.test.ts
# derives every class count of the stretch between the begin and op markers from this listing.
# Linked at 0x80000000; the plugin's flash range is 0x80000000-0x80400000 (as qemu-riscv32's memory.ld), SRAM above.
  .text
  .globl _start
_start:
  lui sp, 0x80410
  jal ra, mark_begin
  la a1, weights            # 2 x other (auipc, addi)
  li a2, 0x80400100         # 2 x other (lui, addi)
  li a3, 10                 # other
  li a0, 0                  # other
loop:                       # 10 times:
  lw a4, 0(a1)              #   load (flash: the weights)
  lw a5, 0(a2)              #   loadPipelined (SRAM)
  mul a6, a4, a5            #   mul
  add a0, a0, a6            #   other
  sw a0, 4(a2)              #   store
  divu a7, a4, a3           #   div
  addi a1, a1, 4            #   other
  addi a3, a3, -1           #   other
  bnez a3, loop             #   branch: taken 9 times, not taken once
  jal ra, mark_op           # branch, taken
  jal ra, mark_end
  li t0, 0x100000           # QEMU virt's test device: 0x5555 = pass
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b

mark_begin:
  ret
mark_op:
  ret                       # branch, counted in the op's stretch
mark_end:
  ret

  .balign 4
weights:
  .word 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
