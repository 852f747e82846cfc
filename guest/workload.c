/* Workloads that make real load: CPU busy time per 100 ms period on every vCPU, and pages dirtied at a rate on the
 * BSP. Busy time runs in calibrated chunks of about 1 ms between clock reads, since each clock read is a VM exit. */
#include "bk.h"
#include "cpu_loop.h"

#define LOAD_PERIOD_NS (100 * NS_PER_MS)
#define CHUNK_NS NS_PER_MS
#define CALIBRATE_NS NS_PER_MS
#define BURSTY_PHASE_NS (4 * NS_PER_S)
#define BURSTY_HIGH 90
#define BURSTY_LOW 5
#define DIRTY_SLICE_NS (10 * NS_PER_MS)
#define DIRTY_CATCH_UP_NS (2 * DIRTY_SLICE_NS)
#define DIRTY_REGION_MAX (256 * MIB)
#define PAGES_PER_MIB (MIB / PAGE_SIZE)

/* Shared by all vCPUs, written by the BSP's shell; `gen` changes after every update so a busy vCPU notices. */
static volatile u32 wl_gen;
static volatile u32 wl_cpu_percent;
static volatile u32 wl_bursty;
static volatile u64 wl_bursty_start;
static volatile u32 wl_dirty_rate; /* MiB/s */

struct vcpu_state {
    u64 rate; /* bk_cpu_loop iterations per millisecond; 0 until calibrated */
    u64 period_start;
    u32 gen;
    volatile u64 sink;
} __attribute__((aligned(64)));

static struct vcpu_state vcpu_state[BK_MAX_VCPUS];

/* BSP only. */
static u64 dirty_base, dirty_pages, dirty_cursor, dirty_end;
static u64 dirty_start, dirty_done; /* pages done since dirty_start */
static u32 dirty_rate_running;
volatile u64 bk_dirty_bytes;

static void changed(void)
{
    __asm__ volatile("" : : : "memory");
    wl_gen = wl_gen + 1;
}

void workload_init(void)
{
    u64 start = ((u64)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    u64 end = bk_ram_size & ~(PAGE_SIZE - 1);
    if (end > start + DIRTY_REGION_MAX)
        end = start + DIRTY_REGION_MAX;
    dirty_base = start;
    dirty_end = end;
    dirty_pages = end > start ? (end - start) / PAGE_SIZE : 0;
}

u64 workload_reserve_top(u64 bytes)
{
    u64 ram = bk_ram_size & ~(PAGE_SIZE - 1);
    if (bytes > ram || ram - bytes < dirty_base + PAGE_SIZE) /* the dirtier keeps a page at least */
        return 0;
    u64 top = ram - bytes;
    dirty_pages = ((top < dirty_end ? top : dirty_end) - dirty_base) / PAGE_SIZE;
    if (dirty_cursor >= dirty_pages)
        dirty_cursor = 0;
    return top;
}

void workload_idle(void)
{
    wl_cpu_percent = 0;
    wl_bursty = 0;
    wl_dirty_rate = 0;
    changed();
}

void workload_set_load(u32 percent)
{
    wl_bursty = 0;
    wl_cpu_percent = percent;
    changed();
}

void workload_set_dirty(u32 mib_per_s)
{
    wl_dirty_rate = mib_per_s;
    changed();
}

void workload_set_bursty(void)
{
    wl_bursty_start = bk_now();
    wl_cpu_percent = 0;
    wl_bursty = 1;
    changed();
}

static int word_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

int workload_parse(const char *spec)
{
    while (*spec) {
        const char *end = spec;
        while (*end && *end != '+')
            end++;
        size_t len = (size_t)(end - spec);
        u64 n;
        if (word_is(spec, len, "idle")) {
            workload_idle();
        } else if (word_is(spec, len, "bursty")) {
            workload_set_bursty();
        } else if (len > 4 && !memcmp(spec, "cpu:", 4) && !parse_u64(spec + 4, len - 4, &n) && n <= 100) {
            workload_set_load((u32)n);
        } else if (len > 6 && !memcmp(spec, "dirty:", 6) && !parse_u64(spec + 6, len - 6, &n) && n <= 10000) {
            workload_set_dirty((u32)n);
        } else {
            return -1;
        }
        spec = *end ? end + 1 : end;
    }
    return 0;
}

void workload_describe(char *buf, size_t size)
{
    u32 cpu = wl_cpu_percent, dirty = wl_dirty_rate;
    int n = 0;
    buf[0] = '\0';
    if (wl_bursty)
        n += ksnprintf(buf + n, size - n, "bursty");
    else if (cpu)
        n += ksnprintf(buf + n, size - n, "cpu:%u", cpu);
    if (dirty && (size_t)n < size)
        n += ksnprintf(buf + n, size - n, "%sdirty:%u", n ? "+" : "", dirty);
    if (n == 0)
        ksnprintf(buf, size, "idle");
}

void workload_mem_report(void)
{
    kprintf("ram %lu MiB, kernel end 0x%lx, dirty region 0x%lx-0x%lx (%lu MiB), dirtied %lu bytes\n",
            bk_ram_size / MIB, (u64)_end, dirty_base, dirty_base + dirty_pages * PAGE_SIZE,
            dirty_pages / PAGES_PER_MIB, bk_dirty_bytes);
}

static u32 effective_percent(u64 now)
{
    if (wl_bursty) {
        u64 start = wl_bursty_start;
        u64 phase = now > start ? (now - start) / BURSTY_PHASE_NS : 0;
        return phase & 1 ? BURSTY_LOW : BURSTY_HIGH;
    }
    return wl_cpu_percent;
}

/* Doubles a loop until it spans CALIBRATE_NS between two clock reads. */
static void calibrate(struct vcpu_state *s)
{
    for (u64 n = 1024;; n *= 2) {
        u64 t0 = bk_now();
        s->sink += bk_opaque(bk_cpu_loop(bk_opaque(n)));
        u64 dt = bk_now() - t0;
        if (dt >= CALIBRATE_NS || n >= (1ull << 30)) {
            s->rate = dt ? n * NS_PER_MS / dt : n;
            if (!s->rate)
                s->rate = 1;
            return;
        }
    }
}

/* Work until `end` (guest ns) in chunks; the BSP keeps the shell and the dirtier going between chunks. Stops early
 * when the workload changes. Returns the last clock reading. */
static u64 busy_until(struct vcpu_state *s, u32 cpu, u64 now, u64 end, u32 gen)
{
    if (!s->rate) {
        calibrate(s);
        now = bk_now();
    }
    while (now < end) {
        u64 left = end - now < CHUNK_NS ? end - now : CHUNK_NS;
        u64 iterations = s->rate * left / NS_PER_MS;
        if (!iterations)
            iterations = 1;
        s->sink += bk_opaque(bk_cpu_loop(bk_opaque(iterations)));
        u64 t = bk_now();
        /* Track the loop's speed (it changes with host load and CPU frequency): a quarter weight per full chunk. */
        if (iterations * 2 >= s->rate && t > now) {
            u64 measured = iterations * NS_PER_MS / (t - now);
            u64 lo = s->rate / 4 + 1, hi = s->rate * 4;
            measured = measured < lo ? lo : measured > hi ? hi : measured;
            s->rate = (3 * s->rate + measured) / 4;
        }
        now = t;
        if (cpu == 0) {
            if (serial_poll())
                now = bk_now();
            vmbus_poll(now); /* memory reads only, unless something came in */
            dirty_step(now);
        }
        if (wl_gen != gen)
            break;
    }
    return now;
}

u64 cpu_step(u32 cpu, u64 *now)
{
    struct vcpu_state *s = &vcpu_state[cpu];
    u32 gen = wl_gen;
    u64 t = *now;
    if (gen != s->gen || t < s->period_start || t - s->period_start >= 2 * LOAD_PERIOD_NS) {
        s->gen = gen; /* a new workload, or we fell behind: start a fresh period now */
        s->period_start = t;
    } else if (t - s->period_start >= LOAD_PERIOD_NS) {
        s->period_start += LOAD_PERIOD_NS;
    }
    u32 percent = effective_percent(s->period_start);
    if (!percent)
        return WL_NONE;
    u64 busy_end = s->period_start + LOAD_PERIOD_NS * percent / 100;
    if (t < busy_end)
        *now = busy_until(s, cpu, t, busy_end, gen);
    if (wl_gen != gen)
        return *now; /* re-evaluate at once */
    return s->period_start + LOAD_PERIOD_NS;
}

u64 dirty_step(u64 now)
{
    u32 rate = wl_dirty_rate;
    if (!rate || !dirty_pages) {
        dirty_rate_running = 0;
        return WL_NONE;
    }
    u64 pages_per_s = (u64)rate * PAGES_PER_MIB;
    if (rate != dirty_rate_running || now < dirty_start) {
        dirty_rate_running = rate;
        dirty_start = now;
        dirty_done = 0;
    }
    /* Rebase every whole second so the products below stay small. */
    if (now - dirty_start >= NS_PER_S) {
        u64 seconds = (now - dirty_start) / NS_PER_S;
        dirty_start += seconds * NS_PER_S;
        dirty_done = dirty_done > seconds * pages_per_s ? dirty_done - seconds * pages_per_s : 0;
    }
    u64 due = (now - dirty_start) / NS_PER_US * pages_per_s / (NS_PER_S / NS_PER_US);
    u64 catch_up = pages_per_s * DIRTY_CATCH_UP_NS / NS_PER_S;
    if (due > dirty_done + catch_up) /* time the guest did not get (a throttled vCPU) is not made up */
        dirty_done = due - catch_up;
    u64 n = due > dirty_done ? due - dirty_done : 0;
    for (u64 i = 0; i < n; i++) {
        *(volatile u64 *)(dirty_base + dirty_cursor * PAGE_SIZE) = now + i;
        if (++dirty_cursor == dirty_pages)
            dirty_cursor = 0;
    }
    dirty_done += n;
    bk_dirty_bytes = bk_dirty_bytes + n * PAGE_SIZE;
    return now + DIRTY_SLICE_NS;
}
