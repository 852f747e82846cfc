/* The serial shell: line editing with echo, and one-line replies each followed by the prompt. */
#include "bk.h"
#include "cpu_loop.h"

#define PROMPT "bulkhead$ "
#define BENCH_DEFAULT_ITERATIONS 200000000ull

static char line[256];
static size_t line_len;
static u8 last_was_cr;
static u8 escape_state; /* 0 none, 1 after ESC, 2 inside a CSI sequence */

void shell_prompt(void)
{
    serial_write(PROMPT);
}

/* Parses a whole decimal word, optionally ending in `suffix`; 0 on success. */
static int parse_arg(const char *s, const char *suffix, u64 max, u64 *out)
{
    size_t len = strlen(s), slen = suffix ? strlen(suffix) : 0;
    if (slen && len > slen && strcmp(s + len - slen, suffix) == 0)
        len -= slen;
    return parse_u64(s, len, out) || *out > max ? -1 : 0;
}

static void cmd_help(void)
{
    serial_write("commands: help info uptime ticks load <percent> dirty <MiB/s> bursty idle mem bench cpu [N] "
                 "pattern fill <MiB> <seed> | check echo <text> panic [message] fault reboot poweroff\n"
                 "devices: vmbus [corrupt storage|network] disk [read <sector> | write <sector> <text>] "
                 "[via synthetic|emulated] bench disk [total KiB] [request KiB] [via synthetic|emulated] "
                 "ip ping <A.B.C.D> [count] [flood] heartbeat [start|stop] date kvp [get <key>]\n");
}

static void cmd_info(void)
{
    char workload[64];
    workload_describe(workload, sizeof workload);
    kprintf("partition %u, %u vCPUs, %lu MiB, hostname %s, workload %s, cmdline \"%s\"\n", bk_partition, bk_vcpus,
            bk_ram_size / MIB, bk_hostname, workload, bk_cmdline);
    vmbus_info();
}

static void cmd_uptime(void)
{
    u64 ms = bk_now() / NS_PER_MS;
    kprintf("up %lu.%03lu s\n", ms / 1000, ms % 1000);
}

/* The number in arg (up to max, an optional unit after it) in *value, or the usage line said and -1. */
static int number_or_usage(const char *arg, const char *unit, u64 max, const char *usage, u64 *value)
{
    if (!parse_arg(arg, unit, max, value))
        return 0;
    serial_write(usage);
    return -1;
}

/* load and dirty: a number (unit optional, at most max) handed to the workload, then said back */
static void set_workload(char *arg, const char *unit, u64 max, const char *usage, void (*set)(u32),
                         const char *name, const char *shown_unit)
{
    u64 n;
    if (number_or_usage(arg, unit, max, usage, &n))
        return;
    set((u32)n);
    kprintf("%s %lu%s\n", name, n, shown_unit);
}

static void cmd_load(char *arg)
{
    set_workload(arg, "%", 100, "usage: load <percent 0-100>\n", workload_set_load, "load", "%");
}

static void cmd_dirty(char *arg)
{
    set_workload(arg, "MiB/s", 10000, "usage: dirty <MiB/s 0-10000>\n", workload_set_dirty, "dirty", " MiB/s");
}

static void cmd_bench(char *arg)
{
    u64 n = BENCH_DEFAULT_ITERATIONS;
    if (strncmp(arg, "disk", 4) == 0 && (arg[4] == '\0' || arg[4] == ' ')) {
        cmd_bench_disk(arg + 4);
        return;
    }
    if (strncmp(arg, "cpu", 3) != 0 || (arg[3] != '\0' && arg[3] != ' ')) {
        serial_write("usage: bench cpu [iterations] | bench disk [total KiB] [request KiB] [via synthetic|emulated]\n");
        return;
    }
    arg += 3;
    while (*arg == ' ')
        arg++;
    if (*arg && number_or_usage(arg, 0, ~0ull, "usage: bench cpu [iterations]\n", &n))
        return;
    u64 t0 = bk_now();
    u64 sum = bk_opaque(bk_cpu_loop(bk_opaque(n)));
    u64 t1 = bk_now();
    kprintf("iterations %lu ns %lu checksum %lu\n", n, t1 - t0, sum);
}

static void cmd_ticks(void)
{
    kprintf("ticks %lu\n", bk_ticks);
}

static void cmd_bursty(void)
{
    workload_set_bursty();
    serial_write("bursty\n");
}

static void cmd_idle(void)
{
    workload_idle();
    serial_write("idle\n");
}

static void cmd_echo(char *arg)
{
    kprintf("%s\n", arg);
}

static void cmd_panic(char *arg)
{
    bk_panic(*arg ? arg : "manual panic from shell");
}

static void cmd_fault(void)
{
    serial_write("fault: executing ud2\n");
    __asm__ volatile("ud2");
}

static void cmd_poweroff(void)
{
    serial_write("poweroff\n");
    bk_power(0);
}

static void cmd_reboot(void)
{
    serial_write("reboot\n");
    bk_power(1);
}

/* Each command by name: one that takes no argument (run), or the rest of the line (run_arg). */
static const struct command {
    const char *name;
    void (*run)(void);
    void (*run_arg)(char *arg);
} commands[] = {
    {"help", cmd_help, 0},        {"info", cmd_info, 0},     {"uptime", cmd_uptime, 0},
    {"ticks", cmd_ticks, 0},      {"load", 0, cmd_load},     {"dirty", 0, cmd_dirty},
    {"bursty", cmd_bursty, 0},    {"idle", cmd_idle, 0},     {"mem", workload_mem_report, 0},
    {"bench", 0, cmd_bench},      {"vmbus", 0, cmd_vmbus},   {"disk", 0, cmd_disk},
    {"ip", cmd_ip, 0},            {"ping", 0, cmd_ping},     {"heartbeat", 0, cmd_heartbeat},
    {"date", cmd_date, 0},        {"kvp", 0, cmd_kvp},       {"echo", 0, cmd_echo},
    {"panic", 0, cmd_panic},      {"fault", cmd_fault, 0},   {"poweroff", cmd_poweroff, 0},
    {"reboot", cmd_reboot, 0},    {"pattern", 0, cmd_pattern},
};

static void execute(char *cmd)
{
    /* Split "name rest": rest keeps its inner spaces (echo, panic). */
    char *arg = cmd;
    while (*arg && *arg != ' ')
        arg++;
    if (*arg) {
        *arg++ = '\0';
        while (*arg == ' ')
            arg++;
    }

    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (!strcmp(cmd, commands[i].name)) {
            if (commands[i].run)
                commands[i].run();
            else
                commands[i].run_arg(arg);
            return;
        }
    }
    kprintf("unknown command: %s (try help)\n", cmd);
}

static void end_of_line(void)
{
    serial_putc('\n');
    /* Trim trailing spaces; leading ones too. */
    while (line_len && line[line_len - 1] == ' ')
        line_len--;
    line[line_len] = '\0';
    char *cmd = line;
    while (*cmd == ' ')
        cmd++;
    line_len = 0;
    if (*cmd)
        execute(cmd);
    shell_prompt();
}

void shell_input(u8 c)
{
    if (escape_state) { /* swallow terminal escape sequences (arrow keys and the like) */
        if (escape_state == 1)
            escape_state = (c == '[' || c == 'O') ? 2 : 0;
        else if (c >= 0x40 && c <= 0x7E)
            escape_state = 0;
        return;
    }
    if (c == '\n' && last_was_cr) { /* CR LF is one end of line */
        last_was_cr = 0;
        return;
    }
    last_was_cr = c == '\r';
    switch (c) {
    case '\r':
    case '\n':
        end_of_line();
        return;
    case 0x08:
    case 0x7F:
        if (line_len) {
            line_len--;
            serial_write("\b \b");
        }
        return;
    case 0x03: /* Ctrl-C drops the line */
        serial_write("^C\n");
        line_len = 0;
        shell_prompt();
        return;
    case 0x1B:
        escape_state = 1;
        return;
    case '\t':
        c = ' ';
        break;
    default:
        break;
    }
    if (c < 0x20 || c > 0x7E || line_len >= sizeof line - 1)
        return;
    line[line_len++] = (char)c;
    serial_putc((char)c);
}
