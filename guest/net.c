/* netvsc and a tiny IPv4 stack: Ethernet, ARP (requests, replies, a small cache) and ICMP echo, for one address
 * given on the command line (ip=A.B.C.D). Frames go out as in-band packets `u16 length, u16, u32` + frame. The
 * main loop services the adapter, so ARP requests and pings for our address are answered at all times. */
#include "vmbus.h"

#define ETH_HLEN 14
#define ETH_MIN 60 /* without the FCS */
#define ETH_MAX 1514
#define ETH_ARP 0x0806
#define ETH_IPV4 0x0800
#define ARP_REQUEST 1
#define ARP_REPLY 2
#define ARP_LEN 28
#define IP_HLEN 20
#define IP_ICMP 1
#define IP_TTL 64
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define ICMP_HLEN 8

#define ARP_ENTRIES 8
#define ARP_TTL_NS (60 * NS_PER_S)
#define ARP_TIMEOUT_NS NS_PER_S
#define PING_ID 0x424B
#define PING_DATA 56
#define PING_TIMEOUT_NS NS_PER_S
#define PING_INTERVAL_NS NS_PER_S
#define PING_MAX_COUNT 1000

struct net_header {
    u16 length, reserved;
    u32 reserved2;
};

struct arp_entry {
    u8 ip[4], mac[6];
    u8 valid;
    u64 stamp;
};

static struct vmbus_channel *channel;
static u8 my_mac[6];
static u8 my_ip[4], has_ip;
static const u8 broadcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
static struct arp_entry arp_cache[ARP_ENTRIES];
static u32 arp_victim;
static u16 ip_ident;
static u8 frame[ETH_MAX] __attribute__((aligned(8)));
static u64 tx_dropped;

static struct {
    u8 active, got;
    u16 seq;
    u8 target[4];
    u64 at;
} ping;

static u16 be16(const u8 *p)
{
    return (u16)(p[0] << 8 | p[1]);
}

static void put16(u8 *p, u16 v)
{
    p[0] = (u8)(v >> 8);
    p[1] = (u8)v;
}

/* The Internet checksum; over data that holds its own checksum it is 0 when the data is intact. */
static u16 checksum(const u8 *p, u32 n)
{
    u32 sum = 0;
    for (; n > 1; n -= 2, p += 2)
        sum += (u32)p[0] << 8 | p[1];
    if (n)
        sum += (u32)p[0] << 8;
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (u16)~sum;
}

static int parse_ipv4(const char *s, size_t len, u8 out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        u32 v = 0, digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            v = v * 10 + (u32)(s[i++] - '0');
            digits++;
        }
        if (!digits || v > 255)
            return -1;
        out[part] = (u8)v;
        if (part < 3 && (i >= len || s[i++] != '.'))
            return -1;
    }
    return i == len ? 0 : -1;
}

static int format_ip(char *buf, size_t size, const u8 ip[4])
{
    return ksnprintf(buf, size, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

int net_set_ip(const char *s, size_t len)
{
    u8 ip[4];
    if (parse_ipv4(s, len, ip))
        return -1;
    memcpy(my_ip, ip, 4);
    has_ip = 1;
    kvp_changed();
    return 0;
}

int net_ip_string(char *buf, size_t size)
{
    if (!has_ip) {
        buf[0] = '\0';
        return 0;
    }
    return format_ip(buf, size, my_ip);
}

/* --- sending: every frame is built in `frame` and copied into the ring at once ---------------------------------- */
static void eth_send(const u8 dst[6], u16 type, u32 len)
{
    memcpy(frame, dst, 6);
    memcpy(frame + 6, my_mac, 6);
    put16(frame + 12, type);
    u32 n = ETH_HLEN + len;
    if (n < ETH_MIN) {
        memset(frame + n, 0, ETH_MIN - n);
        n = ETH_MIN;
    }
    struct net_header h = {(u16)n, 0, 0};
    if (vmbus_send(channel, PKT_DATA, 0, 0, &h, sizeof h, frame, n) != VMBUS_OK)
        tx_dropped++; /* a full ring drops the frame, as a NIC would */
}

static void arp_send(u16 op, const u8 dst_mac[6], const u8 target_mac[6], const u8 target_ip[4])
{
    u8 *a = frame + ETH_HLEN;
    put16(a, 1);
    put16(a + 2, ETH_IPV4);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, my_mac, 6);
    memcpy(a + 14, my_ip, 4);
    memcpy(a + 18, target_mac, 6);
    memcpy(a + 24, target_ip, 4);
    eth_send(dst_mac, ETH_ARP, ARP_LEN);
}

/* Sends the IPv4 packet whose payload (`len` bytes) is already at frame + ETH_HLEN + IP_HLEN. */
static void ip_send(const u8 dst_mac[6], const u8 dst_ip[4], u8 protocol, u32 len)
{
    u8 *h = frame + ETH_HLEN;
    h[0] = 0x45;
    h[1] = 0;
    put16(h + 2, (u16)(IP_HLEN + len));
    put16(h + 4, ip_ident++);
    put16(h + 6, 0x4000); /* don't fragment */
    h[8] = IP_TTL;
    h[9] = protocol;
    put16(h + 10, 0);
    memcpy(h + 12, my_ip, 4);
    memcpy(h + 16, dst_ip, 4);
    put16(h + 10, checksum(h, IP_HLEN));
    eth_send(dst_mac, ETH_IPV4, IP_HLEN + len);
}

/* --- ARP cache -------------------------------------------------------------------------------------------------- */
static struct arp_entry *arp_find(const u8 ip[4])
{
    for (u32 i = 0; i < ARP_ENTRIES; i++)
        if (arp_cache[i].valid && !memcmp(arp_cache[i].ip, ip, 4))
            return &arp_cache[i];
    return 0;
}

static void arp_learn(const u8 ip[4], const u8 mac[6])
{
    struct arp_entry *e = arp_find(ip);
    if (!e) {
        e = &arp_cache[arp_victim];
        arp_victim = (arp_victim + 1) % ARP_ENTRIES;
    }
    memcpy(e->ip, ip, 4);
    memcpy(e->mac, mac, 6);
    e->valid = 1;
    e->stamp = vmbus_now;
}

/* --- receiving -------------------------------------------------------------------------------------------------- */
static void arp_rx(const u8 *a, u32 len)
{
    static const u8 zero_ip[4];
    if (len < ARP_LEN || be16(a) != 1 || be16(a + 2) != ETH_IPV4 || a[4] != 6 || a[5] != 4 || !has_ip)
        return;
    u16 op = be16(a + 6);
    const u8 *sha = a + 8, *spa = a + 14, *tpa = a + 24;
    int for_us = !memcmp(tpa, my_ip, 4);
    if (!memcmp(spa, zero_ip, 4) || (sha[0] & 1))
        return; /* a probe, or a multicast sender: nothing to learn or answer */
    if (for_us || arp_find(spa))
        arp_learn(spa, sha); /* RFC 826: merge what we know, add what was meant for us */
    if (for_us && op == ARP_REQUEST)
        arp_send(ARP_REPLY, sha, sha, spa);
}

static void icmp_rx(const u8 *src_mac, const u8 *ip, const u8 *m, u32 len)
{
    if (len < ICMP_HLEN || checksum(m, len))
        return;
    if (m[0] == ICMP_ECHO_REQUEST && m[1] == 0) {
        if (len > ETH_MAX - ETH_HLEN - IP_HLEN)
            return;
        u8 *out = frame + ETH_HLEN + IP_HLEN;
        memcpy(out, m, len);
        out[0] = ICMP_ECHO_REPLY;
        put16(out + 2, 0);
        put16(out + 2, checksum(out, len));
        ip_send(src_mac, ip + 12, IP_ICMP, len);
    } else if (m[0] == ICMP_ECHO_REPLY && ping.active && be16(m + 4) == PING_ID && be16(m + 6) == ping.seq &&
               !memcmp(ip + 12, ping.target, 4)) {
        ping.got = 1;
        ping.at = vmbus_now;
    }
}

static void ip_rx(const u8 *src_mac, const u8 *p, u32 len)
{
    if (len < IP_HLEN || (p[0] >> 4) != 4 || !has_ip)
        return;
    u32 ihl = (u32)(p[0] & 0x0F) * 4, total = be16(p + 2);
    if (ihl < IP_HLEN || total < ihl || total > len || checksum(p, ihl))
        return;
    if ((be16(p + 6) & 0x3FFF) || memcmp(p + 16, my_ip, 4))
        return; /* fragments are not reassembled; other destinations are not ours */
    if (p[9] == IP_ICMP)
        icmp_rx(src_mac, p, p + ihl, total - ihl);
}

static void packet(struct vmbus_channel *ch, const struct vmbus_packet *pkt)
{
    (void)ch;
    if (pkt->type != PKT_DATA || pkt->len < sizeof(struct net_header) + ETH_HLEN)
        return;
    u32 n = (u32)(pkt->data[0] | pkt->data[1] << 8); /* the header is little-endian */
    if (n < ETH_HLEN || n > ETH_MAX || n > pkt->len - sizeof(struct net_header))
        return;
    const u8 *f = pkt->data + sizeof(struct net_header);
    if (memcmp(f, my_mac, 6) && memcmp(f, broadcast, 6))
        return; /* flooded to us, meant for someone else */
    u16 type = be16(f + 12);
    if (type == ETH_ARP)
        arp_rx(f + ETH_HLEN, n - ETH_HLEN);
    else if (type == ETH_IPV4)
        ip_rx(f + 6, f + ETH_HLEN, n - ETH_HLEN);
}

static void opened(struct vmbus_channel *ch)
{
    channel = ch;
    for (int i = 0; i < 6; i++)
        my_mac[i] = (u8)(ch->param0 >> (8 * i));
    if (has_ip) /* a gratuitous ARP: the switch learns our port, neighbours refresh what they knew */
        arp_send(ARP_REQUEST, broadcast, (const u8[6]){0}, my_ip);
}

static void closed(struct vmbus_channel *ch)
{
    (void)ch;
    channel = 0;
}

const struct vmbus_driver netvsc_driver = {"network", 16, 16, opened, closed, packet, 0};

/* --- shell ------------------------------------------------------------------------------------------------------ */
static void format_mac(char *buf, size_t size, const u8 mac[6])
{
    ksnprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void cmd_ip(void)
{
    char ip[16] = "none", mac[18];
    if (has_ip)
        format_ip(ip, sizeof ip, my_ip);
    struct vmbus_channel *ch = vmbus_known(DEV_NETWORK);
    if (!ch) {
        kprintf("no network adapter, ip %s\n", ip);
        return;
    }
    u8 m[6];
    for (int i = 0; i < 6; i++)
        m[i] = (u8)(ch->param0 >> (8 * i));
    format_mac(mac, sizeof mac, m);
    kprintf("mac %s ip %s%s\n", mac, ip, ch->state == CH_OPEN ? "" : " (adapter not open)");
}

/* The target's MAC address, asking with ARP when it is not cached (1 s at most); 0 when nobody answered. */
static const u8 *resolve(const u8 ip[4], u64 *now)
{
    struct arp_entry *e = arp_find(ip);
    if (e && e->stamp + ARP_TTL_NS > *now)
        return e->mac;
    arp_send(ARP_REQUEST, broadcast, (const u8[6]){0}, ip);
    vmbus_flush(channel);
    u64 asked = *now, deadline = *now + ARP_TIMEOUT_NS;
    while (*now < deadline && channel) {
        *now = bk_wait(deadline);
        e = arp_find(ip);
        if (e && e->stamp >= asked)
            return e->mac;
    }
    return 0;
}

void cmd_ping(char *arg)
{
    char *word = next_word(&arg), target_text[16];
    u8 target[4];
    u64 count = 3;
    if (!*word || parse_ipv4(word, strlen(word), target))
        goto usage;
    word = next_word(&arg);
    if (*word && (parse_u64(word, strlen(word), &count) || !count || count > PING_MAX_COUNT))
        goto usage;
    /* "flood": the next request as soon as the reply is in, one summary line (each printed byte is an exit) */
    word = next_word(&arg);
    int flood = !strcmp(word, "flood");
    if (*word && !flood)
        goto usage;
    if (!has_ip) {
        serial_write("no IP address (boot with ip=...)\n");
        return;
    }
    if (!channel) {
        serial_write("no network adapter\n");
        return;
    }
    format_ip(target_text, sizeof target_text, target);
    u8 *echo = frame + ETH_HLEN + IP_HLEN;
    u32 sent = 0, received = 0;
    u64 now = bk_now(), began = now;
    for (u32 seq = 1; seq <= count; seq++) {
        u64 start = now;
        const u8 *dst = channel ? resolve(target, &now) : 0;
        sent++;
        if (dst && channel) {
            u8 dst_mac[6];
            memcpy(dst_mac, dst, 6);
            echo[0] = ICMP_ECHO_REQUEST;
            echo[1] = 0;
            put16(echo + 2, 0);
            put16(echo + 4, PING_ID);
            put16(echo + 6, (u16)seq);
            for (u32 i = 0; i < PING_DATA; i++)
                echo[ICMP_HLEN + i] = (u8)i;
            put16(echo + 2, checksum(echo, ICMP_HLEN + PING_DATA));
            ping.active = 1;
            ping.got = 0;
            ping.seq = (u16)seq;
            memcpy(ping.target, target, 4);
            u64 t0 = bk_now();
            ip_send(dst_mac, target, IP_ICMP, ICMP_HLEN + PING_DATA);
            vmbus_flush(channel);
            now = t0;
            while (!ping.got && now < t0 + PING_TIMEOUT_NS)
                now = bk_wait(t0 + PING_TIMEOUT_NS);
            ping.active = 0;
            if (ping.got) {
                u64 us = (ping.at - t0) / NS_PER_US;
                received++;
                if (flood)
                    continue;
                kprintf("reply from %s: seq=%u time=%lu.%03lu ms\n", target_text, seq, us / 1000, us % 1000);
                if (seq < count)
                    while (now < start + PING_INTERVAL_NS)
                        now = bk_wait(start + PING_INTERVAL_NS);
                continue;
            }
        }
        kprintf("timeout seq=%u\n", seq);
    }
    if (flood)
        kprintf("flood %lu ns\n", bk_now() - began);
    kprintf("%u sent, %u received\n", sent, received);
    return;
usage:
    kprintf("usage: ping <A.B.C.D> [count 1-%u] [flood]\n", PING_MAX_COUNT);
}
