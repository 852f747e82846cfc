/* Bulkhead guest kernel: shared declarations. The platform it runs on is docs/guest-abi.md. */
#ifndef BK_H
#define BK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define BK_VERSION "1.0"
#define BK_MAX_VCPUS 64 /* entry.S gives each a stack of BK_STACK_SIZE */
#define BK_STACK_SIZE 16384

/* Boot-info block (ABI version 1). */
#define BOOT_MAGIC 0x44484B42u /* "BKHD" */
#define BOOT_VERSION 1u
#define BI_MAGIC 0
#define BI_VERSION 4
#define BI_RAM_SIZE 8
#define BI_PARTITION 16
#define BI_VCPUS 20
#define BI_MMIO_BASE 24
#define BI_CMDLINE_LEN 32
#define BI_HOST_REQUEST 40 /* u32 the engine sets: bit 0 = shut down (the power button) */
#define HOST_REQUEST_SHUTDOWN 1u
#define BI_DEVICE_FLAGS 44 /* u32 the engine sets (docs/vmbus.md) */
#define DEVICE_IDE 1u
#define DEVICE_VMBUS 2u
#define BI_VMBUS_MESSAGE_PAGE 48 /* u64 the guest writes before CONNECT */
#define BI_VMBUS_EVENT_PAGE 56
#define BI_CMDLINE 64
#define BI_CMDLINE_MAX 256
#define BI_CRASH 320
#define BI_CRASH_MAX 256
#define BI_MAILBOX 1024 /* + 16 * vCPU index: u64 sleep deadline */

#define MMIO_CLOCK 0x00
#define MMIO_MAGIC 0x08
#define MMIO_MAGIC_VALUE 0x4F494B42u /* "BKIO" */

#define PORT_COM1 0x3F8
#define PORT_SLEEP 0x500
#define PORT_POWER 0x501
#define PORT_CRASH 0x502

#define NS_PER_US 1000ul
#define NS_PER_MS 1000000ul
#define NS_PER_S 1000000000ul
#define IDLE_WAKE_NS (2 * NS_PER_S) /* the longest an idle guest sleeps: its heartbeat's period */
#define MIB (1024ul * 1024ul)
#define PAGE_SIZE 4096ul

static inline void outb(u16 port, u8 value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline void outw(u16 port, u16 value)
{
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline void outl(u16 port, u32 value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline u16 inw(u16 port)
{
    u16 value;
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

/* Ordering for memory shared with the host: the compiler barrier keeps stores in program order (x86 keeps them in
 * order too); the full fence also orders a store before a later load (publish an index, then look at the other
 * side's flag). Both are unprivileged. */
static inline void bk_barrier(void)
{
    __asm__ volatile("" : : : "memory");
}

static inline void bk_mfence(void)
{
    __asm__ volatile("mfence" : : : "memory");
}

static inline u8 inb(u16 port)
{
    u8 value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

/* Read-only after boot (every vCPU stores the same values on entry). */
extern u8 *bk_bootinfo;
extern volatile u64 *bk_mmio;
extern u64 bk_ram_size;
extern u32 bk_partition;
extern u32 bk_vcpus;
extern char bk_cmdline[BI_CMDLINE_MAX];
extern char bk_hostname[64];
extern char _end[]; /* linker script: end of the kernel image, bss and stacks included */

/* Incremented on every pass of the BSP main loop. */
extern volatile u64 bk_ticks;

/* Guest clock in nanoseconds: one MMIO read, which is a VM exit (tens of microseconds), so read it sparingly. */
static inline u64 bk_now(void)
{
    return bk_mmio[MMIO_CLOCK / 8];
}

void bk_sleep_until(u32 cpu, u64 deadline);
u64 bk_wait(u64 deadline); /* BSP: sleep until `deadline`, a VMBus timer or an event, service the VMBus; the clock */
u64 bk_wait_briefly(u64 deadline, u64 now); /* the same after a short spin; may return `now` unchanged */
__attribute__((noreturn)) void bk_panic(const char *msg);
void bk_power(u8 how); /* 0 = power off, 1 = reboot; closes the VMBus channels first */
__attribute__((noreturn)) void bk_sleep_forever(u32 cpu);
extern u32 bk_device_flags;

/* serial.c */
void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s);
int serial_poll(void); /* feeds pending input to the shell; returns the number of bytes read */

/* shell.c */
void shell_prompt(void);
void shell_input(u8 c);

/* workload.c */
#define WL_NONE (~0ull) /* "no deadline of mine" */
extern volatile u64 bk_dirty_bytes;
void workload_init(void);
void workload_idle(void);
void workload_set_load(u32 percent);
void workload_set_dirty(u32 mib_per_s);
void workload_set_bursty(void);
int workload_parse(const char *spec); /* "idle", "cpu:N", "dirty:N", "bursty", joined with '+'; 0 on success */
void workload_describe(char *buf, size_t size);
void workload_mem_report(void);
u64 workload_reserve_top(u64 bytes); /* the top `bytes` of RAM kept from the dirtier: where they start, 0: no room */
u64 cpu_step(u32 cpu, u64 *now);
u64 dirty_step(u64 now);

/* pattern.c: `pattern fill <MiB> <seed>`, `pattern check` */
void cmd_pattern(char *arg);

/* vmbus.c: the VMBus client (docs/vmbus.md) and its shell command */
void vmbus_init(void);          /* CONNECT and open the offered channels, when the VMBus is present */
void vmbus_poll(u64 now);       /* messages, inbound rings, channel timers, owed doorbells; cheap when idle */
u64 vmbus_next_deadline(void);  /* the earliest channel timer (WL_NONE: none) */
int vmbus_pending(void);        /* a message or an inbound packet waits (memory reads only) */
void vmbus_unload(void);        /* UNLOAD: every channel closes (before power off) */
void vmbus_info(void);          /* the `info` line */
void cmd_vmbus(char *arg);

/* storvsc.c, ide.c, disk.c: the synthetic and the emulated disk, and the `disk` and `bench disk` commands */
void ide_init(void);
void cmd_disk(char *arg);
void cmd_bench_disk(char *arg);

/* net.c: netvsc and a small IPv4 stack (ARP, ICMP echo) */
int net_set_ip(const char *s, size_t len); /* "A.B.C.D"; 0 on success */
int net_ip_string(char *buf, size_t size); /* our address, or "" */
void cmd_ip(void);
void cmd_ping(char *arg);

/* ics.c: integration services (heartbeat, shutdown, time sync, KVP) */
void kvp_changed(void); /* the guest pool changed: publish it again */
void cmd_heartbeat(char *arg);
void cmd_date(void);
void cmd_kvp(char *arg);

/* lib.c */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int parse_u64(const char *s, size_t len, u64 *out); /* decimal; 0 on success */
char *next_word(char **s);                          /* splits off the next space-separated word ("" at the end) */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
