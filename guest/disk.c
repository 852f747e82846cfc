/* The `disk` and `bench disk` commands, over either path: synthetic (storvsc, several requests in flight under one
 * doorbell) or emulated (IDE PIO, one word per exit). */
#include "disk.h"

#define PATH_NONE 0
#define PATH_SYNTHETIC 1
#define PATH_EMULATED 2

#define BENCH_START_SECTOR 2048
#define BENCH_DEFAULT_KIB 4096
#define BENCH_DEFAULT_REQUEST_KIB 64
#define BENCH_BUFFER (512 * 1024) /* in-flight requests' buffers */
#define BENCH_MAGIC 0x4B53494448424B42ull /* "BKHDDISK" */

static u8 sector_buf[SECTOR_SIZE] __attribute__((aligned(SECTOR_SIZE)));
static u8 bench_buf[BENCH_BUFFER] __attribute__((aligned(4096)));

static const char *path_name(int path)
{
    return path == PATH_SYNTHETIC ? "synthetic" : "emulated";
}

static int path_present(int path)
{
    return path == PATH_SYNTHETIC ? storvsc_state() != STOR_ABSENT : ide_present;
}

static u64 path_sectors(int path)
{
    return path == PATH_SYNTHETIC ? storvsc_sectors() : ide_sectors;
}

static int default_path(void)
{
    return path_present(PATH_SYNTHETIC) ? PATH_SYNTHETIC : path_present(PATH_EMULATED) ? PATH_EMULATED : PATH_NONE;
}

static const char *error_text(int r)
{
    switch (r) {
    case STOR_STATUS_BAD:
        return "bad request";
    case STOR_STATUS_RANGE:
        return "sector out of range";
    case STOR_STATUS_IO:
        return "I/O error";
    case STOR_TIMEOUT:
        return "request timed out";
    case STOR_DOWN:
        return "the disk's channel is down";
    default:
        return "error";
    }
}

static int io(int path, u32 op, u64 sector, u32 count, void *buf)
{
    return path == PATH_SYNTHETIC ? storvsc_io(op, sector, count, buf) : ide_io(op, sector, count, buf);
}

/* Takes a trailing "via synthetic|emulated" off `arg`: the path, PATH_NONE when absent, -1 when malformed. */
static int take_via(char *arg)
{
    size_t n = strlen(arg);
    static const char *const suffix[] = {0, " via synthetic", " via emulated"};
    for (int path = PATH_SYNTHETIC; path <= PATH_EMULATED; path++) {
        size_t m = strlen(suffix[path]);
        if ((n >= m && !strcmp(arg + n - m, suffix[path])) || !strcmp(arg, suffix[path] + 1)) {
            arg[n >= m ? n - m : 0] = '\0';
            return path;
        }
    }
    return PATH_NONE;
}

/* The path to use: forced, or the configured one; PATH_NONE (after saying why) when there is none. */
static int choose(int forced)
{
    int path = forced ? forced : default_path();
    if (path == PATH_NONE)
        serial_write("no disk\n");
    else if (!path_present(path))
        kprintf("disk: no %s disk\n", path_name(path));
    else
        return path;
    return PATH_NONE;
}

static int parse_sector(const char *word, int path, u64 *sector)
{
    if (parse_u64(word, strlen(word), sector)) {
        serial_write("usage: disk read <sector> | disk write <sector> <text> [via synthetic|emulated]\n");
        return -1;
    }
    if (*sector >= path_sectors(path)) {
        kprintf("disk: sector %lu is beyond the %s disk (%lu sectors)\n", *sector, path_name(path),
                path_sectors(path));
        return -1;
    }
    return 0;
}

static void disk_read(char *arg, int forced)
{
    int path = choose(forced);
    u64 sector;
    if (!path || parse_sector(next_word(&arg), path, &sector))
        return;
    if (*arg) {
        serial_write("usage: disk read <sector> [via synthetic|emulated]\n");
        return;
    }
    int r = io(path, DISK_READ, sector, 1, sector_buf);
    if (r != STOR_OK) {
        kprintf("disk: %s\n", error_text(r));
        return;
    }
    char text[SECTOR_SIZE + 1];
    u32 n = 0;
    for (; n < SECTOR_SIZE && sector_buf[n]; n++)
        text[n] = sector_buf[n] >= 0x20 && sector_buf[n] < 0x7F ? (char)sector_buf[n] : '.';
    text[n] = '\0';
    kprintf("%s\n", text);
}

static void disk_write(char *arg, int forced)
{
    int path = choose(forced);
    u64 sector;
    if (!path || parse_sector(next_word(&arg), path, &sector))
        return;
    size_t n = strlen(arg);
    if (n > SECTOR_SIZE)
        n = SECTOR_SIZE;
    memset(sector_buf, 0, sizeof sector_buf);
    memcpy(sector_buf, arg, n);
    int r = io(path, DISK_WRITE, sector, 1, sector_buf);
    if (r == STOR_OK)
        r = io(path, DISK_FLUSH, 0, 0, 0);
    if (r != STOR_OK) {
        kprintf("disk: %s\n", error_text(r));
        return;
    }
    kprintf("wrote sector %lu via %s\n", sector, path_name(path));
}

static void disk_list(void)
{
    int any = 0;
    int s = storvsc_state();
    if (s != STOR_ABSENT) {
        kprintf("synthetic %lu sectors%s\n", storvsc_sectors(), s == STOR_BROKEN ? " (channel failed)" : "");
        any = 1;
    }
    if (ide_present) {
        kprintf("emulated %lu sectors\n", ide_sectors);
        any = 1;
    }
    if (!any)
        serial_write("no disk\n");
}

void cmd_disk(char *arg)
{
    int forced = take_via(arg);
    char *word = next_word(&arg);
    if (!*word && !forced)
        disk_list();
    else if (!strcmp(word, "read"))
        disk_read(arg, forced);
    else if (!strcmp(word, "write"))
        disk_write(arg, forced);
    else
        serial_write("usage: disk [read <sector> | write <sector> <text>] [via synthetic|emulated]\n");
}

/* --- bench disk ------------------------------------------------------------------------------------------------- */
/* Every sector of the benchmark carries its number and the run's nonce, so the read pass checks what it got. */
static void stamp(u8 *buf, u64 sector, u32 count, u64 nonce)
{
    for (u32 i = 0; i < count; i++, buf += SECTOR_SIZE) {
        ((u64 *)buf)[0] = sector + i;
        ((u64 *)buf)[1] = BENCH_MAGIC ^ nonce;
    }
}

static int check(const u8 *buf, u64 sector, u32 count, u64 nonce, u64 *bad)
{
    for (u32 i = 0; i < count; i++, buf += SECTOR_SIZE)
        if (((const u64 *)buf)[0] != sector + i || ((const u64 *)buf)[1] != (BENCH_MAGIC ^ nonce)) {
            *bad = sector + i;
            return -1;
        }
    return 0;
}

struct bench {
    int path;
    u32 op;
    u64 start, sectors, requests;
    u32 per_request, depth;
    u64 nonce, bad;
};

static u32 count_of(const struct bench *b, u64 i) /* the last request may be shorter */
{
    u64 left = b->sectors - i * b->per_request;
    return left < b->per_request ? (u32)left : b->per_request;
}

/* The synthetic path: up to `depth` requests in flight, submitted together under one doorbell, refilled as
 * completions arrive. Each buffer slot of bench_buf belongs to one request in flight (its tag). */
static int run_synthetic(struct bench *b)
{
    u64 next = 0, done = 0, now = bk_now();
    u32 free_mask = (1u << b->depth) - 1;
    u64 sector_of[STOR_SLOTS] = {0};
    u32 count[STOR_SLOTS] = {0};
    int result = STOR_OK;
    while (done < b->requests) {
        int submitted = 0;
        while (next < b->requests && free_mask) {
            u32 tag = (u32)__builtin_ctz(free_mask);
            u8 *buf = bench_buf + (u64)tag * b->per_request * SECTOR_SIZE;
            u64 sector = b->start + next * b->per_request;
            u32 n = count_of(b, next);
            if (b->op == DISK_WRITE)
                stamp(buf, sector, n, b->nonce);
            int r = storvsc_submit(b->op, sector, n, buf, tag, now);
            if (r == STOR_BUSY)
                break;
            if (r < 0) {
                result = r;
                goto out;
            }
            free_mask &= ~(1u << tag);
            sector_of[tag] = sector;
            count[tag] = n;
            next++;
            submitted = 1;
        }
        if (submitted)
            storvsc_kick();
        u32 tag;
        int status, reaped = 0;
        vmbus_poll(now);
        while (storvsc_reap(&tag, &status)) {
            reaped = 1;
            if (status != STOR_OK) {
                result = status;
                goto out;
            }
            if (b->op == DISK_READ &&
                check(bench_buf + (u64)tag * b->per_request * SECTOR_SIZE, sector_of[tag], count[tag], b->nonce,
                      &b->bad)) {
                result = STOR_STATUS_IO;
                goto out;
            }
            free_mask |= 1u << tag;
            done++;
        }
        if (reaped || done == b->requests)
            continue;
        u64 oldest = storvsc_oldest();
        u64 deadline = (oldest == WL_NONE ? now : oldest) + STOR_TIMEOUT_NS;
        if (now >= deadline) {
            result = STOR_TIMEOUT;
            goto out;
        }
        now = bk_wait_briefly(deadline, now);
    }
out:
    if (result != STOR_OK)
        storvsc_abandon();
    return result;
}

/* The emulated path: one command at a time; between commands the VMBus still gets serviced (heartbeat). */
static int run_emulated(struct bench *b)
{
    for (u64 i = 0; i < b->requests; i++) {
        u64 sector = b->start + i * b->per_request;
        u32 n = count_of(b, i);
        if (b->op == DISK_WRITE)
            stamp(bench_buf, sector, n, b->nonce);
        int r = ide_io(b->op, sector, n, bench_buf);
        if (r != STOR_OK)
            return r;
        if (b->op == DISK_READ && check(bench_buf, sector, n, b->nonce, &b->bad))
            return STOR_STATUS_IO;
        vmbus_poll(bk_now()); /* one clock read per command of hundreds of exits */
    }
    return STOR_OK;
}

static int run_pass(struct bench *b, u32 op, u64 *ns)
{
    b->op = op;
    u64 t0 = bk_now();
    int r = b->path == PATH_SYNTHETIC ? run_synthetic(b) : run_emulated(b);
    if (r == STOR_OK && op == DISK_WRITE)
        r = io(b->path, DISK_FLUSH, 0, 0, 0); /* the write pass ends when the data is durable */
    *ns = bk_now() - t0;
    return r;
}

static void print_rate(u64 bytes, u64 ns)
{
    u64 milli = ns ? bytes * 1000000 / ns : 0; /* bytes/ns is GB/s: x 1000 MB/s, x 1000000 thousandths of one */
    kprintf("%lu.%03lu MB/s", milli / 1000, milli % 1000);
}

void cmd_bench_disk(char *arg)
{
    int forced = take_via(arg);
    u64 total_kib = BENCH_DEFAULT_KIB, request_kib = BENCH_DEFAULT_REQUEST_KIB;
    char *word = next_word(&arg);
    if (*word && parse_u64(word, strlen(word), &total_kib))
        goto usage;
    word = next_word(&arg);
    if (*word && parse_u64(word, strlen(word), &request_kib))
        goto usage;
    if (*next_word(&arg) || !total_kib || !request_kib || request_kib > total_kib || total_kib > (1ull << 30) ||
        request_kib > BENCH_BUFFER / 1024)
        goto usage;
    int path = choose(forced);
    if (!path)
        return;
    struct bench b = {path, 0, BENCH_START_SECTOR, total_kib * 2, (total_kib + request_kib - 1) / request_kib,
                      (u32)(request_kib * 2), 1, 0, 0};
    u32 most = path == PATH_SYNTHETIC ? storvsc_max_sectors : IDE_MAX_SECTORS;
    if (b.per_request > most) {
        kprintf("bench disk: the %s disk takes at most %u KiB per request\n", path_name(path), most / 2);
        return;
    }
    if (BENCH_START_SECTOR + total_kib * 2 > path_sectors(path)) {
        kprintf("bench disk: %lu KiB from sector %u do not fit on the %s disk (%lu sectors)\n", total_kib,
                BENCH_START_SECTOR, path_name(path), path_sectors(path));
        return;
    }
    if (path == PATH_SYNTHETIC) {
        u64 depth = BENCH_BUFFER / (request_kib * 1024);
        b.depth = depth > STOR_SLOTS ? STOR_SLOTS : (u32)depth;
    }
    b.nonce = bk_now();
    u64 bytes = total_kib * 1024, write_ns, read_ns;
    int r = run_pass(&b, DISK_WRITE, &write_ns);
    if (r == STOR_OK)
        r = run_pass(&b, DISK_READ, &read_ns);
    if (r != STOR_OK) {
        if (b.bad)
            kprintf("bench disk: sector %lu read back differs from what was written\n", b.bad);
        else
            kprintf("disk: %s\n", error_text(r));
        return;
    }
    kprintf("bench disk %s write %lu B %lu ns read %lu B %lu ns\n", path_name(path), bytes, write_ns, bytes, read_ns);
    kprintf("%s disk: write ", path_name(path));
    print_rate(bytes, write_ns);
    serial_write(", read ");
    print_rate(bytes, read_ns);
    kprintf(" (%lu KiB in %lu KiB requests, %u in flight)\n", total_kib, request_kib, b.depth);
    return;
usage:
    serial_write("usage: bench disk [total KiB] [request KiB, at most the total] [via synthetic|emulated]\n");
}
