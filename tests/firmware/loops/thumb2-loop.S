@ A hand-counted loop for the instruction-class plugin on mps2-an386 (Cortex-M4): tests/firmware/instruction-class-loops.test.ts
@ derives every class count of the stretch between the begin and op markers from this listing.
  .syntax unified
  .thumb
  .text
  .word 0x20010000          @ initial stack pointer
  .word reset               @ reset vector (a .thumb_func: bit 0 set)

  .thumb_func
reset:
  bl mark_begin
  ldr r1, =weights          @ load (literal pool, flash)
  ldr r2, =0x20000100       @ loadPipelined (right after a load; literal pool, flash)
  movs r3, #10              @ other
  movs r0, #0               @ other
loop:                       @ 10 times:
  ldr r4, [r1], #4          @   load (flash: the weights)
  ldr r5, [r2], #4          @   loadPipelined (SRAM)
  smlad r0, r4, r5, r0      @   mul
  ldmia r2!, {r6, r7}       @   loadMultiple (2 SRAM words)
  push {r6, r7}             @   storeMultiple (2 words)
  pop {r6, r7}              @   loadMultiple (2 SRAM words)
  str r0, [r2]              @   store
  udiv r6, r6, r3           @   div
  subs r3, #1               @   other
  bne loop                  @   branch: taken 9 times, not taken once
  bl mark_op                @ branch, taken
  bl mark_end
  movs r0, #0x18            @ semihosting SYS_EXIT, ADP_Stopped_ApplicationExit
  ldr r1, =0x20026
  bkpt 0xab

  .thumb_func
mark_begin:
  bx lr
  .thumb_func
mark_op:
  bx lr                     @ branch, counted in the op's stretch
  .thumb_func
mark_end:
  bx lr

  .ltorg
  .balign 4
weights:
  .space 64
