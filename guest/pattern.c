/* `pattern fill <MiB> <seed>` and `pattern check`: the top MiB of RAM filled with words that follow from the seed
 * and their offset, checked later (after a save and restore, after a migration) to show memory came through whole.
 * The dirty workload keeps below the region while it is there. */
#include "bk.h"

static u64 pattern_base, pattern_bytes, pattern_seed;

/* splitmix64 of the seed and the word's index: every word differs, so a page copied to the wrong place shows. */
static u64 pattern_word(u64 seed, u64 index)
{
    u64 z = seed + (index + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void pattern_fill(char *rest)
{
    char *size = next_word(&rest), *seed = next_word(&rest);
    u64 mib, value;
    if (parse_u64(size, strlen(size), &mib) || !mib || mib > 65536 || parse_u64(seed, strlen(seed), &value) ||
        *next_word(&rest)) {
        serial_write("usage: pattern fill <MiB> <seed> | pattern check\n");
        return;
    }
    u64 base = workload_reserve_top(mib * MIB);
    if (!base) {
        kprintf("pattern: %lu MiB does not fit above the kernel in %lu MiB of RAM\n", mib, bk_ram_size / MIB);
        return;
    }
    volatile u64 *words = (volatile u64 *)base;
    u64 count = mib * MIB / 8;
    for (u64 i = 0; i < count; i++)
        words[i] = pattern_word(value, i);
    pattern_base = base;
    pattern_bytes = mib * MIB;
    pattern_seed = value;
    kprintf("pattern filled %lu MiB at 0x%lx seed %lu\n", mib, base, value);
}

static void pattern_check(void)
{
    if (!pattern_bytes) {
        serial_write("pattern: nothing filled (pattern fill <MiB> <seed>)\n");
        return;
    }
    volatile u64 *words = (volatile u64 *)pattern_base;
    u64 count = pattern_bytes / 8;
    for (u64 i = 0; i < count; i++) {
        if (words[i] != pattern_word(pattern_seed, i)) {
            kprintf("pattern BAD at 0x%lx\n", i * 8);
            return;
        }
    }
    kprintf("pattern ok %lu MiB\n", pattern_bytes / MIB);
}

void cmd_pattern(char *arg)
{
    char *rest = arg;
    char *what = next_word(&rest);
    if (!strcmp(what, "fill"))
        pattern_fill(rest);
    else if (!strcmp(what, "check") && !*next_word(&rest))
        pattern_check();
    else
        serial_write("usage: pattern fill <MiB> <seed> | pattern check\n");
}
