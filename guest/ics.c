/* Integration services over the VMBus: heartbeat (every two seconds), shutdown (the host asks, we acknowledge and power
 * off), time sync (the host's UTC against our clock) and key-value pair exchange (our facts out, the host's in). */
#include "vmbus.h"

/* Two seconds: an idle guest wakes for its beat alone, and a thousand idle VMs' wake-ups are what a host spends most
 * of its idle time on (issue 17); the host calls the heartbeat lost after 5 s. */
#define HEARTBEAT_PERIOD_NS IDLE_WAKE_NS
#define HEARTBEAT_SLACK_NS (100 * NS_PER_MS) /* a wake this close to the beat sends it: one wake per beat */
#define SHUTDOWN_DRAIN_NS (500 * NS_PER_MS)  /* how long the acknowledgement gets to reach the host */
#define SHUTDOWN_POLL_NS (5 * NS_PER_MS)
#define SHUTDOWN_REASON 64
#define KVP_KEY 64
#define KVP_VALUE 256
#define KVP_HOST_KEYS 32
#define KVP_SET 1
#define KVP_DELETE 2
#define KVP_RETRY_NS (100 * NS_PER_MS)

/* Answers a packet that asked for a completion (status 0). */
static void acknowledge(struct vmbus_channel *ch, const struct vmbus_packet *pkt)
{
    u32 status = 0;
    if (pkt->type == PKT_DATA && (pkt->flags & PKT_FLAG_COMPLETION))
        vmbus_send(ch, PKT_COMPLETION, 0, pkt->trans_id, &status, sizeof status, 0, 0);
}

/* Copies a NUL-padded text field, printable ASCII only. */
static void take_text(char *dst, const u8 *src, u32 n)
{
    u32 i = 0;
    for (; i < n - 1 && src[i]; i++)
        dst[i] = src[i] >= 0x20 && src[i] < 0x7F ? (char)src[i] : '?';
    dst[i] = '\0';
}

/* --- heartbeat -------------------------------------------------------------------------------------------------- */
static struct vmbus_channel *hb_channel;
static u8 hb_stopped;
static u64 hb_sequence, hb_due;

static void hb_opened(struct vmbus_channel *ch)
{
    hb_channel = ch;
    hb_due = 0;
}

static void hb_closed(struct vmbus_channel *ch)
{
    (void)ch;
    hb_channel = 0;
}

static void hb_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt)
{
    acknowledge(ch, pkt);
}

static u64 hb_tick(struct vmbus_channel *ch, u64 now)
{
    if (hb_stopped)
        return WL_NONE;
    if (now + HEARTBEAT_SLACK_NS >= hb_due) {
        u64 sequence = hb_sequence + 1;
        if (vmbus_send(ch, PKT_DATA, 0, sequence, &sequence, sizeof sequence, 0, 0) == VMBUS_OK)
            hb_sequence = sequence;
        hb_due = now + HEARTBEAT_PERIOD_NS;
    }
    return hb_due;
}

const struct vmbus_driver heartbeat_driver = {"heartbeat", 2, 2, hb_opened, hb_closed, hb_packet, hb_tick};

void cmd_heartbeat(char *arg)
{
    char *word = next_word(&arg);
    if (!strcmp(word, "stop")) {
        hb_stopped = 1;
        serial_write("heartbeat stopped\n");
    } else if (!strcmp(word, "start")) {
        hb_stopped = 0;
        hb_due = 0; /* at the next poll, right after this command */
        serial_write("heartbeat started\n");
    } else if (*word) {
        serial_write("usage: heartbeat [start|stop]\n");
    } else if (!vmbus_known(DEV_HEARTBEAT)) {
        serial_write("no heartbeat channel\n");
    } else {
        kprintf("heartbeat %s, %lu sent%s\n", hb_stopped ? "stopped" : "running", hb_sequence,
                hb_channel ? "" : " (channel not open)");
    }
}

/* --- shutdown --------------------------------------------------------------------------------------------------- */
static void sd_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt)
{
    if (pkt->type != PKT_DATA)
        return;
    char reason[SHUTDOWN_REASON + 1] = "";
    if (pkt->len > 4)
        take_text(reason, pkt->data + 4, pkt->len - 4 < SHUTDOWN_REASON + 1 ? pkt->len - 4 + 1 : SHUTDOWN_REASON + 1);
    u32 status = 0; /* the answer is always a completion, asked for or not */
    vmbus_send(ch, PKT_COMPLETION, 0, pkt->trans_id, &status, sizeof status, 0, 0);
    vmbus_flush(ch);
    kprintf("\nshutdown requested by the host: %s\n", reason[0] ? reason : "no reason given");
    /* Give the host a moment to take the acknowledgement before UNLOAD closes the channel under it. */
    u64 now = bk_now(), deadline = now + SHUTDOWN_DRAIN_NS;
    while (!vmbus_out_empty(ch) && now < deadline) {
        bk_sleep_until(0, now + SHUTDOWN_POLL_NS);
        now = bk_now();
    }
    bk_power(0); /* UNLOAD, then off */
    bk_sleep_forever(0);
}

const struct vmbus_driver shutdown_driver = {"shutdown", 2, 2, 0, 0, sd_packet, 0};

/* --- time sync -------------------------------------------------------------------------------------------------- */
static u8 ts_synced;
static u64 ts_unix_ns, ts_guest_ns;

static void ts_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt)
{
    acknowledge(ch, pkt);
    if (pkt->type != PKT_DATA || pkt->len < 8)
        return;
    ts_unix_ns = *(const u64 *)pkt->data;
    ts_guest_ns = vmbus_now;
    ts_synced = 1;
}

const struct vmbus_driver timesync_driver = {"timesync", 2, 2, 0, 0, ts_packet, 0};

void cmd_date(void)
{
    if (!ts_synced) {
        serial_write("no time sync yet\n");
        return;
    }
    u64 t = (ts_unix_ns + (bk_now() - ts_guest_ns)) / NS_PER_S;
    u64 days = t / 86400, rem = t % 86400;
    /* Civil date from days since 1970-01-01 (H. Hinnant's algorithm, unsigned: we are past 1970). */
    u64 z = days + 719468, era = z / 146097, doe = z - era * 146097;
    u64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    u64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    u64 day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9, year = yoe + era * 400 + (month <= 2);
    kprintf("%04lu-%02lu-%02lu %02lu:%02lu:%02lu\n", year, month, day, rem / 3600, rem / 60 % 60, rem % 60);
}

/* --- key-value pair exchange ------------------------------------------------------------------------------------ */
struct kvp_message {
    u32 op;
    char key[KVP_KEY];
    char value[KVP_VALUE];
};

struct kvp_pair {
    char key[KVP_KEY];
    char value[KVP_VALUE];
};

static struct vmbus_channel *kvp_channel;
static struct kvp_pair host_pool[KVP_HOST_KEYS];
static u32 host_keys;
static u8 kvp_dirty = 1;

static int kvp_send(u32 op, const char *key, const char *value)
{
    struct kvp_message m;
    memset(&m, 0, sizeof m);
    m.op = op;
    size_t k = strlen(key), v = strlen(value);
    memcpy(m.key, key, k < KVP_KEY - 1 ? k : KVP_KEY - 1);
    memcpy(m.value, value, v < KVP_VALUE - 1 ? v : KVP_VALUE - 1);
    return vmbus_send(kvp_channel, PKT_DATA, 0, 0, &m, sizeof m, 0, 0);
}

/* Publishes the guest pool; stays dirty (retried) when the ring has no room. */
static void kvp_publish(void)
{
    char ip[16];
    net_ip_string(ip, sizeof ip);
    if (!kvp_channel || kvp_send(KVP_SET, "HostName", bk_hostname) || kvp_send(KVP_SET, "OSName", "Bulkhead guest kernel") ||
        kvp_send(KVP_SET, "OSVersion", BK_VERSION) || kvp_send(KVP_SET, "IPAddresses", ip))
        return;
    kvp_dirty = 0;
}

void kvp_changed(void)
{
    kvp_dirty = 1;
}

static struct kvp_pair *kvp_find(const char *key)
{
    for (u32 i = 0; i < host_keys; i++)
        if (!strcmp(host_pool[i].key, key))
            return &host_pool[i];
    return 0;
}

static void kvp_opened(struct vmbus_channel *ch)
{
    kvp_channel = ch;
    kvp_dirty = 1;
    kvp_publish();
}

static void kvp_closed(struct vmbus_channel *ch)
{
    (void)ch;
    kvp_channel = 0;
}

static void kvp_packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt)
{
    acknowledge(ch, pkt);
    if (pkt->type != PKT_DATA || pkt->len < sizeof(struct kvp_message))
        return;
    u32 op = *(const u32 *)pkt->data;
    char key[KVP_KEY];
    take_text(key, pkt->data + 4, KVP_KEY);
    if (!key[0])
        return;
    struct kvp_pair *p = kvp_find(key);
    if (op == KVP_SET) {
        if (!p && host_keys < KVP_HOST_KEYS) {
            p = &host_pool[host_keys++];
            memcpy(p->key, key, sizeof key);
        }
        if (p)
            take_text(p->value, pkt->data + 4 + KVP_KEY, KVP_VALUE);
    } else if (op == KVP_DELETE && p) {
        u32 i = (u32)(p - host_pool);
        memmove(p, p + 1, (host_keys - i - 1) * sizeof *p); /* keeps the order the host gave */
        host_keys--;
    }
}

static u64 kvp_tick(struct vmbus_channel *ch, u64 now)
{
    (void)ch;
    if (kvp_dirty)
        kvp_publish();
    return kvp_dirty ? now + KVP_RETRY_NS : WL_NONE;
}

const struct vmbus_driver kvp_driver = {"kvp", 8, 8, kvp_opened, kvp_closed, kvp_packet, kvp_tick};

void cmd_kvp(char *arg)
{
    char *word = next_word(&arg);
    if (!*word) {
        if (!host_keys)
            serial_write("no host keys\n");
        for (u32 i = 0; i < host_keys; i++)
            kprintf("%s=%s\n", host_pool[i].key, host_pool[i].value);
    } else if (!strcmp(word, "get") && *arg) {
        struct kvp_pair *p = kvp_find(arg);
        if (p)
            kprintf("%s=%s\n", p->key, p->value);
        else
            kprintf("kvp: no key %s\n", arg);
    } else {
        serial_write("usage: kvp [get <key>]\n");
    }
}
