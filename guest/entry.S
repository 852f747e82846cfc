/* Entry of every vCPU: RDI = boot-info address, RSI = vCPU index, RSP = 0. Gives the vCPU its own stack and calls
 * bk_main(bootinfo, index). Ring 3: no privileged instruction here or anywhere. */
#define BK_MAX_VCPUS 64
#define BK_STACK_SHIFT 14 /* 16 KiB, BK_STACK_SIZE in bk.h */
#define BI_MMIO_BASE 24
#define BI_MAILBOX 1024
#define MAILBOX_SLOTS 192 /* (4096 - 1024) / 16: the boot-info block's room */

    .section .text.entry, "ax"
    .globl _start
    .type _start, @function
_start:
    cmp $BK_MAX_VCPUS, %rsi
    jae .Lpark
    lea 1(%rsi), %rax
    shl $BK_STACK_SHIFT, %rax
    mov $bk_stacks, %rsp
    add %rax, %rsp
    xor %ebp, %ebp
    call bk_main
    ud2

/* A vCPU beyond the stacks we have: sleep a second at a time forever, without a stack. */
.Lpark:
    cmp $MAILBOX_SLOTS, %rsi
    jae .Lfault
    mov %rsi, %rcx
    shl $4, %rcx
    lea BI_MAILBOX(%rdi,%rcx), %rcx
    mov BI_MMIO_BASE(%rdi), %r8
    mov $0x500, %edx
1:  mov (%r8), %rax             /* guest clock */
    add $1000000000, %rax
    mov %rax, (%rcx)            /* deadline: now + 1 s */
    out %al, (%dx)
    jmp 1b
.Lfault:
    ud2
    .size _start, . - _start

    .bss
    .balign 4096
    .globl bk_stacks
bk_stacks:
    .skip BK_MAX_VCPUS << BK_STACK_SHIFT

    .section .note.GNU-stack, "", @progbits
