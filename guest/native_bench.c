/* Runs the guest's `bench cpu` loop natively, for the guest-versus-native benchmark.
 * Build: gcc -O2 -o native_bench guest/native_bench.c    Run: ./native_bench [iterations]
 * Prints the same line as the guest's `bench cpu N`: "iterations N ns T checksum C". */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cpu_loop.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    uint64_t n = 200000000u;
    if (argc > 1) {
        char *end;
        n = strtoull(argv[1], &end, 10);
        if (*argv[1] == '\0' || *end != '\0') {
            fprintf(stderr, "usage: %s [iterations]\n", argv[0]);
            return 2;
        }
    }
    uint64_t t0 = now_ns();
    uint64_t sum = bk_opaque(bk_cpu_loop(bk_opaque(n)));
    uint64_t t1 = now_ns();
    printf("iterations %" PRIu64 " ns %" PRIu64 " checksum %" PRIu64 "\n", n, t1 - t0, sum);
    return 0;
}
