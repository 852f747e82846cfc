/* storvsc: the synthetic disk's client. Requests go in band into the outbound ring, several at a time under one
 * doorbell; completions come back in any order and are matched by trans_id. */
#include "disk.h"
#include "vmbus.h"

struct request {
    u32 op, count;
    u64 sector, buffer_gpa;
};

struct slot {
    u64 trans_id;
    u64 submitted;
    u32 tag;
    u8 busy, done;
    int status;
};

static struct slot slots[STOR_SLOTS];
static u64 next_trans_id = 1;
static struct vmbus_channel *channel;
u64 storvsc_capacity;
u32 storvsc_max_sectors;

static void opened(struct vmbus_channel *ch)
{
    channel = ch;
    storvsc_capacity = ch->param0;
    storvsc_max_sectors = ch->param1 && ch->param1 < 65536 ? (u32)ch->param1 : 1;
    memset(slots, 0, sizeof slots);
}

static void closed(struct vmbus_channel *ch)
{
    (void)ch;
    channel = 0;
    for (u32 i = 0; i < STOR_SLOTS; i++)
        if (slots[i].busy && !slots[i].done) {
            slots[i].done = 1;
            slots[i].status = STOR_DOWN;
        }
}

static void packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt)
{
    (void)ch;
    if (pkt->type != PKT_COMPLETION || pkt->len < 8)
        return;
    for (u32 i = 0; i < STOR_SLOTS; i++) {
        struct slot *s = &slots[i];
        if (s->busy && !s->done && s->trans_id == pkt->trans_id) {
            u32 status = *(const u32 *)pkt->data;
            s->status = status > 0x7FFFFFFF ? STOR_STATUS_IO : (int)status;
            s->done = 1;
            return;
        }
    }
    /* a completion for a request we gave up on: ignored */
}

const struct vmbus_driver storvsc_driver = {"storage", 16, 16, opened, closed, packet, 0};

int storvsc_state(void)
{
    struct vmbus_channel *ch = vmbus_known(DEV_STORAGE);
    if (!ch || ch->state == CH_RESCINDED || ch->state == CH_CLOSED)
        return STOR_ABSENT;
    if (ch->state == CH_OPENING || ch->state == CH_REFUSED)
        return STOR_ABSENT;
    return ch->state == CH_OPEN ? STOR_OPEN : STOR_BROKEN;
}

u64 storvsc_sectors(void)
{
    struct vmbus_channel *ch = vmbus_known(DEV_STORAGE);
    return ch ? ch->param0 : 0;
}

int storvsc_submit(u32 op, u64 sector, u32 count, void *buffer, u32 tag, u64 now)
{
    if (!channel)
        return STOR_DOWN;
    u32 i = 0;
    while (i < STOR_SLOTS && slots[i].busy)
        i++;
    if (i == STOR_SLOTS)
        return STOR_BUSY;
    struct slot *s = &slots[i];
    struct request req = {op, count, sector, (u64)buffer};
    u64 id = next_trans_id++;
    int r = vmbus_send(channel, PKT_DATA, PKT_FLAG_COMPLETION, id, &req, sizeof req, 0, 0);
    if (r == VMBUS_FULL)
        return STOR_BUSY;
    if (r != VMBUS_OK)
        return STOR_DOWN;
    s->trans_id = id;
    s->submitted = now;
    s->tag = tag;
    s->busy = 1;
    s->done = 0;
    s->status = 0;
    return (int)i;
}

void storvsc_kick(void)
{
    if (channel)
        vmbus_flush(channel);
}

int storvsc_reap(u32 *tag, int *status)
{
    for (u32 i = 0; i < STOR_SLOTS; i++) {
        struct slot *s = &slots[i];
        if (s->busy && s->done) {
            s->busy = 0;
            *tag = s->tag;
            *status = s->status;
            return 1;
        }
    }
    return 0;
}

u64 storvsc_oldest(void)
{
    u64 oldest = WL_NONE;
    for (u32 i = 0; i < STOR_SLOTS; i++)
        if (slots[i].busy && !slots[i].done && slots[i].submitted < oldest)
            oldest = slots[i].submitted;
    return oldest;
}

u32 storvsc_in_flight(void)
{
    u32 n = 0;
    for (u32 i = 0; i < STOR_SLOTS; i++)
        n += slots[i].busy;
    return n;
}

void storvsc_abandon(void)
{
    for (u32 i = 0; i < STOR_SLOTS; i++)
        slots[i].busy = 0; /* a late completion finds no slot with its trans_id */
}

int storvsc_io(u32 op, u64 sector, u32 count, void *buffer)
{
    u64 now = bk_now(), deadline = now + STOR_TIMEOUT_NS;
    int slot;
    /* Wait for a free slot and ring room (the host may be slow), never past the deadline. */
    while ((slot = storvsc_submit(op, sector, count, buffer, 0, now)) == STOR_BUSY) {
        if (now >= deadline)
            return STOR_TIMEOUT;
        now = bk_wait(deadline);
    }
    if (slot < 0)
        return slot;
    storvsc_kick();
    for (;;) {
        vmbus_poll(now);
        if (slots[slot].done) {
            slots[slot].busy = 0;
            return slots[slot].status;
        }
        if (now >= deadline) {
            slots[slot].busy = 0;
            return STOR_TIMEOUT;
        }
        now = bk_wait_briefly(deadline, now);
    }
}
