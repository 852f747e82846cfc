/* Boot, the BSP and AP main loops, sleeping, panic and power. */
#include "bk.h"

u8 *bk_bootinfo;
volatile u64 *bk_mmio;
u64 bk_ram_size;
u32 bk_partition;
u32 bk_vcpus;
char bk_cmdline[BI_CMDLINE_MAX];
char bk_hostname[64] = "bulkhead-guest";
u32 bk_device_flags;
volatile u64 bk_ticks;

#define BI_U32(off) (*(volatile u32 *)(bk_bootinfo + (off)))
#define BI_U64(off) (*(volatile u64 *)(bk_bootinfo + (off)))

/* The idle enlightenment: returns at the deadline or earlier on an event (serial input, host attention). */
void bk_sleep_until(u32 cpu, u64 deadline)
{
    BI_U64(BI_MAILBOX + 16 * cpu) = deadline;
    outb(PORT_SLEEP, 0);
}

void bk_sleep_forever(u32 cpu)
{
    for (;;)
        bk_sleep_until(cpu, bk_now() + IDLE_WAKE_NS);
}

u64 bk_wait(u64 deadline)
{
    u64 timer = vmbus_next_deadline();
    bk_sleep_until(0, timer < deadline ? timer : deadline);
    u64 now = bk_now();
    vmbus_poll(now);
    return now;
}

/* Spinning on shared memory costs no exit, where sleeping costs two (the sleep and the clock) and a wake-up: when
 * an answer is a few tens of microseconds away (a disk request the host is working on), look for it a while
 * first. The spin is calibrated once to about SPIN_NS. */
#define SPIN_NS (50 * NS_PER_US)
#define SPIN_CALIBRATION 16384
#define SPIN_CLOCK_EVERY 32 /* answers found by spinning between two clock reads (timers and timeouts) */

static u64 spin_iterations;
static u32 spin_hits;

static int spin_step(void)
{
    int pending = vmbus_pending();
    __builtin_ia32_pause();
    return pending;
}

u64 bk_wait_briefly(u64 deadline, u64 now)
{
    if (!spin_iterations) {
        u64 t0 = bk_now();
        for (u32 i = 0; i < SPIN_CALIBRATION; i++)
            spin_step();
        u64 ns = bk_now() - t0;
        spin_iterations = ns ? SPIN_NS * SPIN_CALIBRATION / ns : SPIN_CALIBRATION;
        if (!spin_iterations)
            spin_iterations = 1;
        now = bk_now();
    }
    for (u64 i = 0; i < spin_iterations; i++) {
        if (spin_step()) {
            if (++spin_hits % SPIN_CLOCK_EVERY == 0)
                now = bk_now();
            vmbus_poll(now);
            return now;
        }
    }
    return bk_wait(deadline);
}

void bk_panic(const char *msg)
{
    kprintf("kernel panic: %s\n", msg);
    char *crash = (char *)bk_bootinfo + BI_CRASH;
    size_t n = strlen(msg);
    if (n > BI_CRASH_MAX - 1)
        n = BI_CRASH_MAX - 1;
    memcpy(crash, msg, n);
    crash[n] = '\0';
    outb(PORT_CRASH, 0);
    bk_sleep_forever(0); /* the engine stops the partition; should it come back, stay quiet */
}

void bk_power(u8 how)
{
    vmbus_unload();
    outb(PORT_POWER, how);
}

static void parse_cmdline(void)
{
    /* The NUL-terminated string, cut at the length field when that is shorter. */
    const volatile char *src = (const volatile char *)(bk_bootinfo + BI_CMDLINE);
    u32 len = BI_U32(BI_CMDLINE_LEN), n = 0;
    while (n < BI_CMDLINE_MAX - 1 && (!len || n < len) && src[n]) {
        bk_cmdline[n] = src[n];
        n++;
    }
    bk_cmdline[n] = '\0';

    for (const char *p = bk_cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        size_t n = (size_t)(end - p);
        if (n > 9 && !memcmp(p, "workload=", 9)) {
            char spec[64];
            size_t m = n - 9 < sizeof spec - 1 ? n - 9 : sizeof spec - 1;
            memcpy(spec, p + 9, m);
            spec[m] = '\0';
            if (workload_parse(spec))
                kprintf("cmdline: unknown workload '%s' (idle|cpu:N|dirty:N|bursty)\n", spec);
        } else if (n > 9 && !memcmp(p, "hostname=", 9)) {
            size_t m = n - 9 < sizeof bk_hostname - 1 ? n - 9 : sizeof bk_hostname - 1;
            memcpy(bk_hostname, p + 9, m);
            bk_hostname[m] = '\0';
        } else if (n > 3 && !memcmp(p, "ip=", 3)) {
            if (net_set_ip(p + 3, n - 3)) {
                char bad[32];
                size_t m = n - 3 < sizeof bad - 1 ? n - 3 : sizeof bad - 1;
                memcpy(bad, p + 3, m);
                bad[m] = '\0';
                kprintf("cmdline: bad IPv4 address '%s' (ip=A.B.C.D)\n", bad);
            }
        }
        p = end;
    }
}

static __attribute__((noreturn)) void bsp_loop(void)
{
    for (;;) {
        serial_poll();
        if (BI_U32(BI_HOST_REQUEST) & HOST_REQUEST_SHUTDOWN) {
            serial_write("\nshutdown requested by the host: powering off\n");
            bk_power(0);
        }
        u64 now = bk_now();
        vmbus_poll(now);
        u64 next = now + IDLE_WAKE_NS;
        u64 d = dirty_step(now);
        u64 c = cpu_step(0, &now);
        u64 v = vmbus_next_deadline();
        if (d < next)
            next = d;
        if (c < next)
            next = c;
        if (v < next)
            next = v;
        bk_ticks = bk_ticks + 1;
        if (next > now)
            bk_sleep_until(0, next);
    }
}

static __attribute__((noreturn)) void ap_loop(u32 cpu)
{
    for (;;) {
        u64 now = bk_now();
        u64 next = now + IDLE_WAKE_NS;
        u64 c = cpu_step(cpu, &now);
        if (c < next)
            next = c;
        if (next > now)
            bk_sleep_until(cpu, next);
    }
}

__attribute__((noreturn)) void bk_main(u64 bootinfo, u64 cpu)
{
    bk_bootinfo = (u8 *)bootinfo;
    if (cpu != 0) {
        if (BI_U32(BI_MAGIC) != BOOT_MAGIC || BI_U32(BI_VERSION) != BOOT_VERSION)
            for (;;) /* the BSP reports it; nothing safe to do here */
                outb(PORT_SLEEP, 0);
        bk_mmio = (volatile u64 *)BI_U64(BI_MMIO_BASE);
        ap_loop((u32)cpu);
    }

    serial_init();
    if (BI_U32(BI_MAGIC) != BOOT_MAGIC || BI_U32(BI_VERSION) != BOOT_VERSION) {
        char msg[96];
        ksnprintf(msg, sizeof msg, "bad boot-info at 0x%lx: magic 0x%x version %u (want 0x%x version %u)", bootinfo,
                  BI_U32(BI_MAGIC), BI_U32(BI_VERSION), BOOT_MAGIC, BOOT_VERSION);
        kprintf("kernel panic: %s\n", msg);
        memcpy(bk_bootinfo + BI_CRASH, msg, strlen(msg) + 1);
        outb(PORT_CRASH, 0);
        __asm__ volatile("ud2"); /* no clock or mailbox to sleep on: should the report return, fault */
    }
    bk_mmio = (volatile u64 *)BI_U64(BI_MMIO_BASE);
    bk_ram_size = BI_U64(BI_RAM_SIZE);
    bk_partition = BI_U32(BI_PARTITION);
    bk_vcpus = BI_U32(BI_VCPUS);
    bk_device_flags = BI_U32(BI_DEVICE_FLAGS);

    kprintf("Bulkhead guest kernel " BK_VERSION " (partition %u, %u vCPUs, %lu MiB)\n", bk_partition, bk_vcpus,
            bk_ram_size / MIB);
    if (((volatile u32 *)bk_mmio)[MMIO_MAGIC / 4] != MMIO_MAGIC_VALUE)
        serial_write("warning: MMIO block magic is not BKIO\n");
    if (bk_vcpus > BK_MAX_VCPUS)
        kprintf("warning: only %u vCPUs are used\n", BK_MAX_VCPUS);
    workload_init();
    parse_cmdline();
    ide_init();
    vmbus_init();
    shell_prompt();
    bsp_loop();
}
