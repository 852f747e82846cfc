/* The VMBus client (docs/vmbus.md): CONNECT, the message slots (offers, rescinds, open results), OPEN with ring
 * memory from static pools, the event page, and the ring buffers with Linux `hv` semantics. One channel per device
 * type is driven (the first offered). Everything the host writes is checked as carefully as the host checks us: a
 * broken ring fails that channel here, nothing else. */
#include "vmbus.h"

#define PORT_VMBUS_CONTROL 0x510
#define PORT_VMBUS_DOORBELL 0x511
#define CTL_CONNECT 1
#define CTL_POST 2
#define CTL_EOM 3

#define MSG_SLOTS 16
#define MSG_SLOT_SIZE 256
#define MSG_PAYLOAD_MAX 248
#define POST_AREA 4096
#define POST_PAYLOAD_MAX 4088

#define MSG_OFFER 1
#define MSG_ALL_OFFERS 2
#define MSG_RESCIND 3
#define MSG_OPEN_RESULT 4
#define MSG_OPEN 10
#define MSG_CLOSE 11
#define MSG_UNLOAD 12

#define MAX_CHANNEL_ID 255 /* one event byte each */
#define BOOT_WAIT_NS (2 * NS_PER_S)
#define DESCRIPTOR 16
#define TRAILER 8
#define PACKET_MAX 2048 /* the largest inbound payload taken (an Ethernet frame and its header fit) */

#define BI_U32(off) (*(volatile u32 *)(bk_bootinfo + (off)))
#define BI_U64(off) (*(volatile u64 *)(bk_bootinfo + (off)))

/* The pages the host shares with us, and the ring memory of each device type (out pages + in pages). Static in
 * .bss: the host never writes .bss, and untouched pages cost the host nothing. */
static u8 message_page[8192] __attribute__((aligned(4096)));
static u8 event_page[4096] __attribute__((aligned(4096)));
static u8 ring_storage[(16 + 16) * PAGE_SIZE] __attribute__((aligned(4096)));
static u8 ring_network[(16 + 16) * PAGE_SIZE] __attribute__((aligned(4096)));
static u8 ring_heartbeat[(2 + 2) * PAGE_SIZE] __attribute__((aligned(4096)));
static u8 ring_shutdown[(2 + 2) * PAGE_SIZE] __attribute__((aligned(4096)));
static u8 ring_timesync[(2 + 2) * PAGE_SIZE] __attribute__((aligned(4096)));
static u8 ring_kvp[(8 + 8) * PAGE_SIZE] __attribute__((aligned(4096)));

static const struct {
    const struct vmbus_driver *drv;
    u8 *mem;
    u32 bytes;
} pools[DEV_TYPES] = {
    [DEV_STORAGE] = {&storvsc_driver, ring_storage, sizeof ring_storage},
    [DEV_NETWORK] = {&netvsc_driver, ring_network, sizeof ring_network},
    [DEV_HEARTBEAT] = {&heartbeat_driver, ring_heartbeat, sizeof ring_heartbeat},
    [DEV_SHUTDOWN] = {&shutdown_driver, ring_shutdown, sizeof ring_shutdown},
    [DEV_TIMESYNC] = {&timesync_driver, ring_timesync, sizeof ring_timesync},
    [DEV_KVP] = {&kvp_driver, ring_kvp, sizeof ring_kvp},
};

static const char *const device_names[DEV_TYPES] = {"?", "storage", "network", "heartbeat", "shutdown", "timesync",
                                                    "kvp"};

static struct vmbus_channel channels[DEV_TYPES];
static u8 present, connected, all_offers, polling;
static u32 ignored_offers;
static u64 next_deadline = WL_NONE;
static u8 packet_buf[PACKET_MAX] __attribute__((aligned(8)));
static const u8 zeros[8];
u64 vmbus_now;

const char *vmbus_device_name(u32 type)
{
    return type < DEV_TYPES ? device_names[type] : "?";
}

struct vmbus_channel *vmbus_channel(u32 type)
{
    return type < DEV_TYPES && channels[type].state == CH_OPEN ? &channels[type] : 0;
}

struct vmbus_channel *vmbus_known(u32 type)
{
    return type < DEV_TYPES && channels[type].state != CH_NONE ? &channels[type] : 0;
}

/* --- messages --------------------------------------------------------------------------------------------------- */
static void post(u32 type, const void *payload, u32 size)
{
    u8 *area = message_page + POST_AREA;
    memcpy(area + 8, payload, size);
    *(volatile u32 *)(area + 4) = size;
    *(volatile u32 *)area = type;
    outb(PORT_VMBUS_CONTROL, CTL_POST); /* handled during the exit: the area is free again when it returns */
}

static void ring_setup(struct vmbus_ring *r, u8 *mem, u32 pages)
{
    memset(mem, 0, PAGE_SIZE); /* a fresh header: indices 0, not masked, nothing pending */
    r->hdr = (volatile u32 *)mem;
    r->data = mem + PAGE_SIZE;
    r->size = (pages - 1) * PAGE_SIZE;
}

static void channel_closed(struct vmbus_channel *ch, enum vmbus_state state)
{
    enum vmbus_state was = ch->state;
    ch->state = state;
    ch->kick = 0;
    ch->next_tick = WL_NONE;
    if (was == CH_OPEN && ch->drv->closed)
        ch->drv->closed(ch);
}

static void channel_fail(struct vmbus_channel *ch, const char *why)
{
    ch->why = why;
    channel_closed(ch, CH_FAILED);
}

static void open_channel(struct vmbus_channel *ch)
{
    const struct vmbus_driver *drv = pools[ch->type].drv;
    u8 *mem = pools[ch->type].mem;
    if ((drv->out_pages + drv->in_pages) * PAGE_SIZE > pools[ch->type].bytes)
        bk_panic("vmbus: ring pool too small");
    ch->drv = drv;
    ch->ring_mem = mem;
    ring_setup(&ch->out, mem, drv->out_pages);
    ring_setup(&ch->in, mem + drv->out_pages * PAGE_SIZE, drv->in_pages);
    ch->in.hdr[RING_FEATURES] = 1; /* as the consumer of this ring we honour pending_send_sz */
    ch->kick = 0;
    ch->why = 0;
    ch->status = 0;
    ch->odd_since = 0;
    ch->next_tick = WL_NONE;
    ch->state = CH_OPENING;
    struct {
        u32 channel_id, out_pages, in_pages, reserved;
        u64 ring_gpa;
    } open = {ch->id, drv->out_pages, drv->in_pages, 0, (u64)mem};
    post(MSG_OPEN, &open, sizeof open);
}

static struct vmbus_channel *by_id(u32 id)
{
    for (u32 t = 1; t < DEV_TYPES; t++)
        if (channels[t].state != CH_NONE && channels[t].id == id)
            return &channels[t];
    return 0;
}

static void handle_message(u32 type, const u8 *p, u32 size)
{
    switch (type) {
    case MSG_OFFER: {
        if (size < 32)
            return;
        u32 id = *(const u32 *)p, dtype = *(const u32 *)(p + 4);
        if (id > MAX_CHANNEL_ID || dtype == 0 || dtype >= DEV_TYPES) {
            ignored_offers++;
            return;
        }
        struct vmbus_channel *ch = &channels[dtype];
        if ((ch->state == CH_OPEN || ch->state == CH_OPENING) && ch->id != id) {
            ignored_offers++; /* a second device of a type we already drive */
            return;
        }
        if (ch->state == CH_OPEN || ch->state == CH_OPENING)
            channel_closed(ch, CH_CLOSED); /* offered again (the host reset it): start over */
        ch->id = id;
        ch->type = dtype;
        ch->param0 = *(const u64 *)(p + 16);
        ch->param1 = *(const u64 *)(p + 24);
        open_channel(ch);
        return;
    }
    case MSG_ALL_OFFERS:
        all_offers = 1;
        return;
    case MSG_RESCIND: {
        struct vmbus_channel *ch = size >= 4 ? by_id(*(const u32 *)p) : 0;
        if (ch)
            channel_closed(ch, CH_RESCINDED);
        return;
    }
    case MSG_OPEN_RESULT: {
        if (size < 8)
            return;
        struct vmbus_channel *ch = by_id(*(const u32 *)p);
        if (!ch || ch->state != CH_OPENING)
            return;
        ch->status = *(const int32_t *)(p + 4);
        if (ch->status != 0) {
            ch->state = CH_REFUSED;
            return;
        }
        ch->state = CH_OPEN;
        ch->next_tick = 0;
        if (ch->drv->opened)
            ch->drv->opened(ch);
        return;
    }
    default:
        return; /* unknown host messages are skipped */
    }
}

static void poll_messages(void)
{
    int full = 1;
    for (u32 i = 0; i < MSG_SLOTS; i++) {
        volatile u32 *slot = (volatile u32 *)(message_page + i * MSG_SLOT_SIZE);
        u32 type = slot[0];
        if (!type) {
            full = 0;
            continue;
        }
        bk_barrier(); /* the host wrote type last: the payload is complete once we see it */
        u32 size = slot[1];
        u8 payload[MSG_PAYLOAD_MAX] __attribute__((aligned(8)));
        if (size > MSG_PAYLOAD_MAX)
            size = MSG_PAYLOAD_MAX;
        memcpy(payload, (const u8 *)slot + 8, size);
        memset(payload + size, 0, MSG_PAYLOAD_MAX - size);
        bk_barrier();
        slot[0] = 0; /* the slot is free: handling may post (OPEN), and the host may refill it meanwhile */
        handle_message(type, payload, size);
    }
    if (full)
        outb(PORT_VMBUS_CONTROL, CTL_EOM); /* the host may have queued messages behind a full page */
}

/* --- rings ------------------------------------------------------------------------------------------------------ */
static int index_ok(const struct vmbus_ring *r, u32 index)
{
    return index < r->size && !(index & 7);
}

static u32 ring_used(const struct vmbus_ring *r, u32 write, u32 read)
{
    return write >= read ? write - read : r->size - read + write;
}

static u32 ring_put(struct vmbus_ring *r, u32 pos, const void *src, u32 n)
{
    u32 first = r->size - pos < n ? r->size - pos : n;
    memcpy(r->data + pos, src, first);
    if (first < n)
        memcpy(r->data, (const u8 *)src + first, n - first);
    pos += n;
    return pos >= r->size ? pos - r->size : pos;
}

static u32 ring_get(const struct vmbus_ring *r, u32 pos, void *dst, u32 n)
{
    u32 first = r->size - pos < n ? r->size - pos : n;
    memcpy(dst, r->data + pos, first);
    if (first < n)
        memcpy((u8 *)dst + first, r->data, n - first);
    pos += n;
    return pos >= r->size ? pos - r->size : pos;
}

struct descriptor {
    u16 type, offset8, len8, flags;
    u64 trans_id;
};

int vmbus_send(struct vmbus_channel *ch, u16 type, u16 flags, u64 trans_id, const void *a, u32 alen, const void *b,
               u32 blen)
{
    if (!ch || ch->state != CH_OPEN)
        return VMBUS_DOWN;
    struct vmbus_ring *r = &ch->out;
    u32 len = DESCRIPTOR + alen + blen, padded = (len + 7) & ~7u, total = padded + TRAILER;
    u32 write = r->hdr[RING_WRITE];
    for (int attempt = 0;; attempt++) {
        u32 read = r->hdr[RING_READ];
        if (!index_ok(r, write) || !index_ok(r, read)) {
            channel_fail(ch, "outbound ring index out of range");
            return VMBUS_DOWN;
        }
        if (total < r->size - ring_used(r, write, read)) /* strictly less: the ring is never completely full */
            break;
        if (attempt || total >= r->size)
            return VMBUS_FULL;
        r->hdr[RING_PENDING_SEND] = total; /* signal me when this fits; then look once more (it may just have) */
        bk_mfence();
    }
    struct descriptor d = {type, DESCRIPTOR / 8, (u16)(padded / 8), flags, trans_id};
    u64 trailer = (u64)write << 32;
    u32 pos = ring_put(r, write, &d, sizeof d);
    pos = ring_put(r, pos, a, alen);
    pos = ring_put(r, pos, b, blen);
    pos = ring_put(r, pos, zeros, padded - len);
    pos = ring_put(r, pos, &trailer, TRAILER);
    if (r->hdr[RING_PENDING_SEND])
        r->hdr[RING_PENDING_SEND] = 0;
    bk_barrier(); /* the packet before the index that publishes it */
    r->hdr[RING_WRITE] = pos;
    bk_mfence(); /* the index out before we look at the consumer's mask and read index */
    if (!r->hdr[RING_INTERRUPT_MASK] && r->hdr[RING_READ] == write)
        ch->kick = 1; /* it was empty: the host may be asleep */
    return VMBUS_OK;
}

void vmbus_flush(struct vmbus_channel *ch)
{
    if (ch && ch->kick) {
        ch->kick = 0;
        if (ch->state == CH_OPEN)
            outl(PORT_VMBUS_DOORBELL, ch->id);
    }
}

int vmbus_out_empty(struct vmbus_channel *ch)
{
    return ch->out.hdr[RING_READ] == ch->out.hdr[RING_WRITE];
}

/* A packet the host has published can look broken for a moment when read (seen under this machine's paravirtual
 * KVM: the slot read as not yet written although the index said it was, then right a moment later; about one fresh
 * VM in 170 running disk benchmarks). So a broken look is looked at again on the next polls, soon, and fails the
 * channel only if it stays broken this long: a host that really breaks the ring still loses its channel. */
#define ODD_GRACE_NS (50 * 1000 * 1000ull)
#define ODD_RETRY_NS (50 * 1000ull)

/* Broken now: fail the channel if it has been for the grace period, else look again soon. */
static void odd(struct vmbus_channel *ch, const char *why)
{
    if (!ch->odd_since)
        ch->odd_since = vmbus_now ? vmbus_now : 1;
    else if (vmbus_now - ch->odd_since >= ODD_GRACE_NS) {
        ch->odd_since = 0;
        channel_fail(ch, why);
        return;
    }
    ch->in.hdr[RING_INTERRUPT_MASK] = 0; /* and vmbus_poll comes back within ODD_RETRY_NS */
}

/* Takes every packet in the channel's inbound ring, with interrupts masked while it does. */
static void drain(struct vmbus_channel *ch)
{
    struct vmbus_ring *r = &ch->in;
    u32 read = r->hdr[RING_READ];
    if (r->hdr[RING_WRITE] == read)
        return; /* the usual case: nothing, and no store to shared memory */
    int consumed = 0;
    r->hdr[RING_INTERRUPT_MASK] = 1;
    for (;;) {
        u32 write = r->hdr[RING_WRITE];
        if (write == read) {
            r->hdr[RING_INTERRUPT_MASK] = 0;
            bk_mfence(); /* a packet written while we were masked went unsignalled: look again */
            if (r->hdr[RING_WRITE] == read) {
                if (ch->odd_since) { /* what looked broken was not there after all */
                    ch->odd_since = 0;
                    ch->odd_looks++;
                }
                break;
            }
            r->hdr[RING_INTERRUPT_MASK] = 1;
            continue;
        }
        if (!index_ok(r, write) || !index_ok(r, read)) {
            odd(ch, "inbound ring index out of range");
            return;
        }
        bk_barrier();
        u32 avail = ring_used(r, write, read);
        struct descriptor d;
        if (avail < DESCRIPTOR + TRAILER) {
            odd(ch, "inbound ring: a packet shorter than its descriptor");
            return;
        }
        ring_get(r, read, &d, sizeof d);
        u32 bytes = (u32)d.len8 * 8, offset = (u32)d.offset8 * 8;
        if (d.offset8 < 2 || d.len8 < d.offset8 || bytes + TRAILER > avail) {
            odd(ch, "inbound ring: bad packet descriptor");
            return;
        }
        if (ch->odd_since) { /* it looked broken, and is right now */
            ch->odd_since = 0;
            ch->odd_looks++;
        }
        struct vmbus_packet pkt = {d.type, d.flags, d.trans_id, packet_buf, bytes - offset};
        int take = pkt.len <= sizeof packet_buf;
        if (take)
            ring_get(r, read + offset >= r->size ? read + offset - r->size : read + offset, packet_buf, pkt.len);
        read += bytes + TRAILER;
        if (read >= r->size)
            read -= r->size;
        bk_barrier(); /* copied out before the host may overwrite it */
        r->hdr[RING_READ] = read;
        consumed = 1;
        if (take && ch->drv->packet)
            ch->drv->packet(ch, &pkt);
        if (ch->state != CH_OPEN)
            return;
    }
    if (consumed) {
        u32 want = r->hdr[RING_PENDING_SEND];
        if (want && r->size - ring_used(r, r->hdr[RING_WRITE], read) >= want)
            ch->kick = 1; /* the host waits for room: tell it */
    }
}

/* --- polling ---------------------------------------------------------------------------------------------------- */
int vmbus_pending(void)
{
    if (!present)
        return 0;
    for (u32 i = 0; i < MSG_SLOTS; i++)
        if (*(volatile u32 *)(message_page + i * MSG_SLOT_SIZE))
            return 1;
    for (u32 t = 1; t < DEV_TYPES; t++)
        if (channels[t].state == CH_OPEN && channels[t].in.hdr[RING_WRITE] != channels[t].in.hdr[RING_READ])
            return 1;
    return 0;
}

void vmbus_poll(u64 now)
{
    if (!present || polling)
        return;
    polling = 1;
    vmbus_now = now;
    poll_messages();
    u64 next = WL_NONE;
    for (u32 t = 1; t < DEV_TYPES; t++) {
        struct vmbus_channel *ch = &channels[t];
        if (ch->state != CH_OPEN)
            continue;
        if (event_page[ch->id])
            __atomic_exchange_n(&event_page[ch->id], 0, __ATOMIC_SEQ_CST);
        drain(ch); /* whether or not the byte was set: a lost event costs nothing */
        if (ch->state == CH_OPEN)
            ch->next_tick = ch->drv->tick ? ch->drv->tick(ch, now) : WL_NONE;
        if (ch->state == CH_OPEN && ch->next_tick < next)
            next = ch->next_tick;
        if (ch->state == CH_OPEN && ch->odd_since && now + ODD_RETRY_NS < next)
            next = now + ODD_RETRY_NS; /* look at it again soon */
    }
    for (u32 t = 1; t < DEV_TYPES; t++)
        vmbus_flush(&channels[t]); /* one doorbell per channel at most, for everything this poll wrote */
    next_deadline = next;
    polling = 0;
}

u64 vmbus_next_deadline(void)
{
    return next_deadline;
}

static u32 count_state(enum vmbus_state state)
{
    u32 n = 0;
    for (u32 t = 1; t < DEV_TYPES; t++)
        n += channels[t].state == state;
    return n;
}

static void list_open(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (u32 t = 1; t < DEV_TYPES && n < size; t++)
        if (channels[t].state == CH_OPEN)
            n += (size_t)ksnprintf(buf + n, size - n, "%s%s", n ? " " : "", device_names[t]);
}

void vmbus_init(void)
{
    if (!(bk_device_flags & DEVICE_VMBUS))
        return;
    present = 1;
    BI_U64(BI_VMBUS_MESSAGE_PAGE) = (u64)message_page;
    BI_U64(BI_VMBUS_EVENT_PAGE) = (u64)event_page;
    outb(PORT_VMBUS_CONTROL, CTL_CONNECT);
    connected = 1;
    /* Wait (briefly) for the offers and our opens to be answered, so the shell starts with its devices. */
    u64 now = bk_now(), deadline = now + BOOT_WAIT_NS;
    for (;;) {
        vmbus_poll(now);
        if ((all_offers && !count_state(CH_OPENING)) || now >= deadline)
            break;
        bk_sleep_until(0, deadline);
        now = bk_now();
    }
    /* A quiet boot (banner, then prompt): `info` and `vmbus` tell the rest. Only trouble is worth a line. */
    if (count_state(CH_REFUSED))
        kprintf("vmbus: %u channels refused (see vmbus)\n", count_state(CH_REFUSED));
    if (!all_offers)
        serial_write("vmbus: the host has not finished its offers\n");
}

void vmbus_unload(void)
{
    if (!present || !connected)
        return;
    post(MSG_UNLOAD, 0, 0);
    for (u32 t = 1; t < DEV_TYPES; t++)
        if (channels[t].state == CH_OPEN || channels[t].state == CH_OPENING)
            channel_closed(&channels[t], CH_CLOSED);
}

/* --- shell ------------------------------------------------------------------------------------------------------ */
void vmbus_info(void)
{
    if (!present) {
        serial_write("vmbus: not present\n");
        return;
    }
    char names[96];
    list_open(names, sizeof names);
    kprintf("vmbus: %u channels open (%s)\n", count_state(CH_OPEN), names);
}

static const char *state_name(enum vmbus_state s)
{
    static const char *const names[] = {"none", "opening", "open", "refused", "rescinded", "failed", "closed"};
    return names[s];
}

static void corrupt(const char *device)
{
    u32 type = !strcmp(device, "storage") ? DEV_STORAGE : !strcmp(device, "network") ? DEV_NETWORK : 0;
    if (!type) {
        serial_write("usage: vmbus corrupt storage|network\n");
        return;
    }
    struct vmbus_channel *ch = vmbus_channel(type);
    if (!ch) {
        kprintf("vmbus: no open %s channel\n", device);
        return;
    }
    /* A hostile guest: an unaligned write index far past the ring, then the doorbell. The host must fail this
     * channel and nothing else; we stop using it. */
    ch->out.hdr[RING_WRITE] = 0xFFFFFFF1u;
    bk_mfence();
    outl(PORT_VMBUS_DOORBELL, ch->id);
    channel_fail(ch, "corrupted by the guest (vmbus corrupt)");
    kprintf("corrupted %s ring\n", device);
}

void cmd_vmbus(char *arg)
{
    char *word = next_word(&arg);
    if (!strcmp(word, "corrupt")) {
        corrupt(next_word(&arg));
        return;
    }
    if (*word) {
        serial_write("usage: vmbus [corrupt storage|network]\n");
        return;
    }
    if (!present) {
        serial_write("vmbus: not present\n");
        return;
    }
    int any = 0;
    for (u32 t = 1; t < DEV_TYPES; t++) {
        struct vmbus_channel *ch = &channels[t];
        if (ch->state == CH_NONE)
            continue;
        any = 1;
        kprintf("channel %u %s %s", ch->id, device_names[t], state_name(ch->state));
        if (ch->state == CH_REFUSED)
            kprintf(" (status %d)", ch->status);
        else if (ch->state == CH_FAILED && ch->why)
            kprintf(" (%s)", ch->why);
        else if (ch->state == CH_OPEN)
            kprintf(" (rings %u+%u pages at 0x%lx)", ch->drv->out_pages, ch->drv->in_pages, (u64)ch->ring_mem);
        if (ch->odd_looks)
            kprintf(", %u broken-looking reads right when looked at again", ch->odd_looks);
        serial_write("\n");
    }
    if (!any)
        serial_write("vmbus: no channels offered\n");
    if (ignored_offers)
        kprintf("%u offers not driven\n", ignored_offers);
}
