/* pktgen: bounded raw-socket packet generator for nftknock's attack evaluation.
 *
 * Sends UDP datagrams or TCP SYNs to one destination, walking a port range in
 * sequential or random order, or hammering one port, optionally from spoofed
 * random sources. Every run is bounded twice: by a packet count and by seconds,
 * and both bounds are capped below. Destinations outside the documentation and
 * benchmarking ranges (198.18.0.0/15, 2001:db8::/32) are refused, so a typo can
 * never send a packet anywhere else.
 *
 *   pktgen --dst 198.18.2.1 --proto udp --ports 1-65535 --order seq --rate 20000 \
 *          --count 65535 --seconds 10
 *   pktgen --dst 198.18.2.1 --dst6 2001:db8:2::1 --proto udp --ports 7000 --rate 50000 \
 *          --count 500000 --seconds 10 --spoof4 198.18.0.0/15 --exclude4 198.18.1.0/24 \
 *          --spoof6 2001:db8:ff::/48
 *
 * Prints one line: sent=N v4=N v6=N seconds=S pps=R distinct_v4=N
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNT 5000000UL
#define MAX_SECONDS 60.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void)
{
    /* xorshift64*: fast, and good enough to spread sources and ports. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 1) {
        sum += (uint32_t)(p[0] << 8 | p[1]);
        p += 2;
        len -= 2;
    }
    if (len)
        sum += (uint32_t)(p[0] << 8);
    return sum;
}

static int in_v4_allowed(uint32_t a) /* host order */
{
    return (a & 0xfffe0000u) == 0xc6120000u; /* 198.18.0.0/15 */
}

static int in_v6_allowed(const struct in6_addr *a)
{
    return a->s6_addr[0] == 0x20 && a->s6_addr[1] == 0x01 && a->s6_addr[2] == 0x0d && a->s6_addr[3] == 0xb8;
}

static int parse_prefix4(const char *s, uint32_t *net, int *len)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    char *slash = strchr(buf, '/');
    if (!slash)
        return -1;
    *slash = 0;
    struct in_addr a;
    if (inet_pton(AF_INET, buf, &a) != 1)
        return -1;
    *len = atoi(slash + 1);
    if (*len < 1 || *len > 32)
        return -1;
    uint32_t mask = *len == 32 ? 0xffffffffu : ~(0xffffffffu >> *len);
    *net = ntohl(a.s_addr) & mask;
    return 0;
}

static int parse_prefix6(const char *s, struct in6_addr *net, int *len)
{
    char buf[80];
    snprintf(buf, sizeof buf, "%s", s);
    char *slash = strchr(buf, '/');
    if (!slash)
        return -1;
    *slash = 0;
    if (inet_pton(AF_INET6, buf, net) != 1)
        return -1;
    *len = atoi(slash + 1);
    return (*len < 16 || *len > 128) ? -1 : 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: pktgen --dst A [--dst6 A6] --proto udp|tcp --ports P|A-B [--order seq|random]\n"
                    "       --rate PPS --count N --seconds S [--src A] [--src6 A6]\n"
                    "       [--spoof4 NET/LEN [--exclude4 NET/LEN]] [--spoof6 NET/LEN] [--sport P]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dst = NULL, *dst6 = NULL, *src = NULL, *src6 = NULL, *proto = "udp", *ports = NULL, *order = "seq";
    const char *spoof4 = NULL, *exclude4 = NULL, *spoof6 = NULL;
    double rate = 1000, seconds = 0;
    unsigned long count = 0;
    int sport_fixed = 0;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        if (!strcmp(k, "--dst")) dst = v;
        else if (!strcmp(k, "--dst6")) dst6 = v;
        else if (!strcmp(k, "--src")) src = v;
        else if (!strcmp(k, "--src6")) src6 = v;
        else if (!strcmp(k, "--proto")) proto = v;
        else if (!strcmp(k, "--ports")) ports = v;
        else if (!strcmp(k, "--order")) order = v;
        else if (!strcmp(k, "--rate")) rate = atof(v);
        else if (!strcmp(k, "--count")) count = strtoul(v, NULL, 10);
        else if (!strcmp(k, "--seconds")) seconds = atof(v);
        else if (!strcmp(k, "--spoof4")) spoof4 = v;
        else if (!strcmp(k, "--exclude4")) exclude4 = v;
        else if (!strcmp(k, "--spoof6")) spoof6 = v;
        else if (!strcmp(k, "--sport")) sport_fixed = atoi(v);
        else usage();
        i++;
    }
    if ((!dst && !dst6) || !ports || count == 0 || seconds <= 0 || rate <= 0)
        usage();
    if (count > MAX_COUNT || seconds > MAX_SECONDS) {
        fprintf(stderr, "pktgen: bounds are at most %lu packets and %.0f seconds\n", MAX_COUNT, MAX_SECONDS);
        return 2;
    }
    int tcp = !strcmp(proto, "tcp");
    int lo = atoi(ports), hi = lo;
    const char *dash = strchr(ports, '-');
    if (dash)
        hi = atoi(dash + 1);
    if (lo < 1 || hi > 65535 || lo > hi)
        usage();
    int random_order = !strcmp(order, "random");

    struct in_addr d4 = {0}, s4 = {0};
    struct in6_addr d6 = {0}, s6 = {0};
    if (dst && (inet_pton(AF_INET, dst, &d4) != 1 || !in_v4_allowed(ntohl(d4.s_addr)))) {
        fprintf(stderr, "pktgen: refusing destination %s: only 198.18.0.0/15\n", dst);
        return 2;
    }
    if (dst6 && (inet_pton(AF_INET6, dst6, &d6) != 1 || !in_v6_allowed(&d6))) {
        fprintf(stderr, "pktgen: refusing destination %s: only 2001:db8::/32\n", dst6);
        return 2;
    }
    if (src) inet_pton(AF_INET, src, &s4);
    if (src6) inet_pton(AF_INET6, src6, &s6);

    uint32_t sp4net = 0, ex4net = 0; int sp4len = 0, ex4len = 0;
    struct in6_addr sp6net; int sp6len = 0;
    if (spoof4 && (parse_prefix4(spoof4, &sp4net, &sp4len) || !in_v4_allowed(sp4net))) usage();
    if (exclude4 && parse_prefix4(exclude4, &ex4net, &ex4len)) usage();
    if (spoof6 && (parse_prefix6(spoof6, &sp6net, &sp6len) || !in_v6_allowed(&sp6net))) usage();
    if (dst && !src && !spoof4) { fprintf(stderr, "pktgen: --src or --spoof4 needed for IPv4\n"); return 2; }
    if (dst6 && !src6 && !spoof6) { fprintf(stderr, "pktgen: --src6 or --spoof6 needed for IPv6\n"); return 2; }

    int fd4 = -1, fd6 = -1;
    if (dst) {
        fd4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
        if (fd4 < 0) { perror("socket v4"); return 1; }
    }
    if (dst6) {
        fd6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
        if (fd6 < 0) { perror("socket v6"); return 1; }
    }
    int sndbuf = 4 << 20;
    if (fd4 >= 0) setsockopt(fd4, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (fd6 >= 0) setsockopt(fd6, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    rng_state ^= (uint64_t)getpid() << 17 ^ (uint64_t)(now() * 1e6);

    /* A bitmap of the IPv4 sources used, to report how many were distinct. */
    uint8_t *seen = calloc(1u << 17, 1);
    unsigned long distinct4 = 0;

    uint8_t pkt[128];
    const int l4len = tcp ? 20 : 8 + 18; /* UDP carries 18 bytes: a 64-byte Ethernet frame with FCS */
    unsigned long sent = 0, sent4 = 0, sent6 = 0, errors = 0;
    unsigned span = (unsigned)(hi - lo + 1);
    double t0 = now(), deadline = t0 + seconds;
    for (unsigned long i = 0; i < count; i++) {
        double due = t0 + i / rate, t = now();
        if (t > deadline)
            break;
        while (due > t) {
            if (due - t > 0.0002) {
                struct timespec ts = {0, (long)((due - t) * 1e9 * 0.8)};
                nanosleep(&ts, NULL);
            }
            t = now();
        }
        uint16_t dport = (uint16_t)(random_order ? lo + rng() % span : lo + i % span);
        uint16_t sport = sport_fixed ? (uint16_t)sport_fixed : (uint16_t)(1024 + rng() % 60000);
        int v6 = dst6 && (!dst || (i & 1));

        uint8_t l4[40];
        memset(l4, 0, sizeof l4);
        if (tcp) {
            struct tcphdr *th = (struct tcphdr *)l4;
            th->source = htons(sport);
            th->dest = htons(dport);
            th->seq = htonl((uint32_t)rng());
            th->doff = 5;
            th->syn = 1;
            th->window = htons(64240);
        } else {
            struct udphdr *uh = (struct udphdr *)l4;
            uh->source = htons(sport);
            uh->dest = htons(dport);
            uh->len = htons((uint16_t)l4len);
            memcpy(l4 + 8, "nftknock-bench-pkt", 18);
        }
        uint8_t nh = tcp ? IPPROTO_TCP : IPPROTO_UDP;
        ssize_t r;
        if (!v6) {
            uint32_t saddr;
            if (spoof4) {
                do {
                    saddr = sp4net | (uint32_t)(rng() & (sp4len == 32 ? 0 : (0xffffffffu >> sp4len)));
                } while (exclude4 && (saddr & ~(0xffffffffu >> ex4len)) == ex4net);
                uint32_t idx = saddr & 0x1ffff;
                if (!(seen[idx >> 3] & (1 << (idx & 7)))) { seen[idx >> 3] |= (uint8_t)(1 << (idx & 7)); distinct4++; }
                saddr = htonl(saddr);
            } else {
                saddr = s4.s_addr;
            }
            struct iphdr *ip = (struct iphdr *)pkt;
            memset(ip, 0, sizeof *ip);
            ip->version = 4; ip->ihl = 5; ip->ttl = 64; ip->protocol = nh;
            ip->tot_len = htons((uint16_t)(20 + l4len));
            ip->id = (uint16_t)rng();
            ip->saddr = saddr; ip->daddr = d4.s_addr;
            ip->check = htons(csum_fold(csum_add(0, ip, 20)));
            uint8_t pseudo[12];
            memcpy(pseudo, &ip->saddr, 4); memcpy(pseudo + 4, &ip->daddr, 4);
            pseudo[8] = 0; pseudo[9] = nh; pseudo[10] = (uint8_t)(l4len >> 8); pseudo[11] = (uint8_t)l4len;
            uint16_t c = csum_fold(csum_add(csum_add(0, pseudo, 12), l4, (size_t)l4len));
            if (tcp) ((struct tcphdr *)l4)->check = htons(c); else ((struct udphdr *)l4)->check = htons(c ? c : 0xffff);
            memcpy(pkt + 20, l4, (size_t)l4len);
            struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr = d4};
            r = sendto(fd4, pkt, (size_t)(20 + l4len), 0, (struct sockaddr *)&to, sizeof to);
            if (r > 0) sent4++;
        } else {
            struct in6_addr saddr;
            if (spoof6) {
                saddr = sp6net;
                for (int byte = sp6len / 8; byte < 16; byte++) {
                    int keep = byte == sp6len / 8 ? sp6len % 8 : 0; /* leading prefix bits of a partial byte */
                    uint8_t mask = (uint8_t)(0xff >> keep);
                    saddr.s6_addr[byte] = (uint8_t)((saddr.s6_addr[byte] & ~mask) | ((uint8_t)rng() & mask));
                }
            } else {
                saddr = s6;
            }
            struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;
            memset(ip6, 0, sizeof *ip6);
            ip6->ip6_flow = htonl(6u << 28);
            ip6->ip6_plen = htons((uint16_t)l4len);
            ip6->ip6_nxt = nh; ip6->ip6_hlim = 64;
            ip6->ip6_src = saddr; ip6->ip6_dst = d6;
            uint8_t pseudo[40];
            memcpy(pseudo, &saddr, 16); memcpy(pseudo + 16, &d6, 16);
            memset(pseudo + 32, 0, 8);
            pseudo[34] = (uint8_t)(l4len >> 8); pseudo[35] = (uint8_t)l4len; pseudo[39] = nh;
            uint16_t c = csum_fold(csum_add(csum_add(0, pseudo, 40), l4, (size_t)l4len));
            if (tcp) ((struct tcphdr *)l4)->check = htons(c); else ((struct udphdr *)l4)->check = htons(c ? c : 0xffff);
            memcpy(pkt + 40, l4, (size_t)l4len);
            struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_addr = d6};
            r = sendto(fd6, pkt, (size_t)(40 + l4len), 0, (struct sockaddr *)&to, sizeof to);
            if (r > 0) sent6++;
        }
        if (r < 0) {
            errors++;
            if (errno == ENOBUFS || errno == EAGAIN) { struct timespec ts = {0, 20000}; nanosleep(&ts, NULL); }
        } else {
            sent++;
        }
    }
    double el = now() - t0;
    printf("sent=%lu v4=%lu v6=%lu errors=%lu seconds=%.3f pps=%.0f distinct_v4=%lu\n",
           sent, sent4, sent6, errors, el, sent / el, distinct4);
    return 0;
}
