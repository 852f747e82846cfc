/* The VMBus client's interface to the drivers of its channels (docs/vmbus.md). BSP only: no locking. */
#ifndef VMBUS_H
#define VMBUS_H

#include "bk.h"

enum vmbus_device {
    DEV_STORAGE = 1,
    DEV_NETWORK = 2,
    DEV_HEARTBEAT = 3,
    DEV_SHUTDOWN = 4,
    DEV_TIMESYNC = 5,
    DEV_KVP = 6,
    DEV_TYPES = 7 /* one past the last */
};

enum vmbus_state {
    CH_NONE,      /* never offered */
    CH_OPENING,   /* OPEN posted, no OPEN_RESULT yet */
    CH_OPEN,
    CH_REFUSED,   /* OPEN_RESULT < 0 */
    CH_RESCINDED, /* the host took it away */
    CH_FAILED,    /* a ring broke the rules (the host's or ours); the channel is dead until offered again */
    CH_CLOSED     /* after UNLOAD */
};

#define PKT_DATA 6
#define PKT_COMPLETION 11
#define PKT_FLAG_COMPLETION 1

/* Ring header fields, as u32 indices into the header page. */
#define RING_WRITE 0
#define RING_READ 1
#define RING_INTERRUPT_MASK 2
#define RING_PENDING_SEND 3
#define RING_FEATURES 16 /* byte 64 */

struct vmbus_ring {
    volatile u32 *hdr;
    u8 *data;
    u32 size; /* data bytes: ring bytes - 4096 */
};

struct vmbus_packet {
    u16 type, flags;
    u64 trans_id;
    const u8 *data; /* the payload (from offset8 * 8 to len8 * 8: padding included) */
    u32 len;
};

struct vmbus_channel;

struct vmbus_driver {
    const char *name;
    u32 out_pages, in_pages;
    void (*opened)(struct vmbus_channel *ch);
    void (*closed)(struct vmbus_channel *ch); /* rescinded, failed or unloaded: forget everything in flight */
    void (*packet)(struct vmbus_channel *ch, const struct vmbus_packet *pkt);
    u64 (*tick)(struct vmbus_channel *ch, u64 now); /* while open, at every poll: the next deadline or WL_NONE */
};

struct vmbus_channel {
    u32 id;
    u32 type;
    enum vmbus_state state;
    int status; /* the refused OPEN's status */
    const char *why; /* what failed it */
    u64 param0, param1;
    u8 *ring_mem;
    struct vmbus_ring out, in;
    u8 kick; /* a doorbell is owed */
    u64 next_tick;
    u64 odd_since; /* when the inbound ring first looked broken at this read index (0: it does not) */
    u32 odd_looks; /* times it looked broken and then was right when looked at again */
    const struct vmbus_driver *drv;
};

#define VMBUS_OK 0
#define VMBUS_FULL (-1) /* no room in the outbound ring now: the host signals when there is (pending_send_sz) */
#define VMBUS_DOWN (-2) /* the channel is not open */

extern u64 vmbus_now; /* the clock at the start of the current poll: drivers time stamp with it */

struct vmbus_channel *vmbus_channel(u32 type); /* the channel of that device type if it is open, else 0 */
struct vmbus_channel *vmbus_known(u32 type);   /* the channel of that type in any state (0 if never offered) */
int vmbus_send(struct vmbus_channel *ch, u16 type, u16 flags, u64 trans_id, const void *a, u32 alen,
               const void *b, u32 blen); /* payload a then b; the doorbell is owed, not rung (vmbus_flush) */
void vmbus_flush(struct vmbus_channel *ch);  /* rings the doorbell if a send owes one */
int vmbus_out_empty(struct vmbus_channel *ch); /* the host consumed everything we wrote */
const char *vmbus_device_name(u32 type);

extern const struct vmbus_driver storvsc_driver, netvsc_driver, heartbeat_driver, shutdown_driver,
    timesync_driver, kvp_driver;

#endif
