/* The compute loop of `bench cpu`, shared by the guest kernel and native_bench.c so that both run the same
 * machine code. Integer only (the guest has no SSE state), and every iteration depends on the previous one, so
 * the compiler can neither vectorise it nor fold it away. */
#ifndef BK_CPU_LOOP_H
#define BK_CPU_LOOP_H

#include <stdint.h>

/* An optimisation barrier on a value: keeps the loop between the two clock reads that time it. */
static inline uint64_t bk_opaque(uint64_t v)
{
    __asm__ volatile("" : "+r"(v) : : "memory");
    return v;
}

/* xorshift64 mixed into a 64-bit LCG: n iterations, returns a checksum of both states. */
static inline uint64_t bk_cpu_loop(uint64_t n)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint64_t acc = 0;
    for (uint64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc = acc * 6364136223846793005ull + (x ^ i);
    }
    return acc ^ x;
}

#endif
