/* impair: a user-space stand-in for netem (this kernel has no sch_netem).
 *
 * The client's egress is redirected by tc into a tap device that this program owns:
 *   tc qdisc add dev c0 clsact
 *   tc filter add dev c0 egress matchall action mirred egress redirect dev imp0
 * Every frame the client sends therefore arrives here. Each frame is dropped with
 * probability --loss; of the rest, --reorder of them are sent at once and all others
 * after --delay-ms, which is netem's meaning of "delay 20ms reorder 25%": the frames
 * sent at once overtake the delayed ones. Frames leave through an AF_PACKET socket on
 * the real interface with PACKET_QDISC_BYPASS, which skips the egress tc hook, so they
 * are not redirected again.
 *
 *   impair --tap imp0 --out c0 --loss 0.10 --reorder 0.25 --delay-ms 20 --seconds 600 [--seed N]
 *
 * Prints its counters when it ends (after --seconds, or on SIGTERM/SIGINT).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXQ 8192
#define MAXF 2048

struct frame {
    double due;
    int len;
    uint8_t data[MAXF];
};

static struct frame queue[MAXQ];
static int queued;
static volatile sig_atomic_t stop;
static uint64_t rs = 88172645463325252ULL;

static double rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (rs >> 11) * (1.0 / 9007199254740992.0);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_signal(int s)
{
    (void)s;
    stop = 1;
}

int main(int argc, char **argv)
{
    const char *tap = "imp0", *out = NULL;
    double loss = 0.1, reorder = 0.25, delay = 0.020, seconds = 600;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--tap")) tap = argv[i + 1];
        else if (!strcmp(argv[i], "--out")) out = argv[i + 1];
        else if (!strcmp(argv[i], "--loss")) loss = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--reorder")) reorder = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--delay-ms")) delay = atof(argv[i + 1]) / 1000.0;
        else if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed")) rs ^= strtoull(argv[i + 1], NULL, 10) * 2654435761ULL;
    }
    if (!out || seconds <= 0 || seconds > 3600) {
        fprintf(stderr, "usage: impair --tap T --out IF [--loss P] [--reorder P] [--delay-ms N] --seconds S [--seed N]\n");
        return 2;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    int tfd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    if (tfd < 0) { perror("open /dev/net/tun"); return 1; }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", tap);
    if (ioctl(tfd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); return 1; }
    int ctl = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq up;
    memset(&up, 0, sizeof up);
    snprintf(up.ifr_name, IFNAMSIZ, "%s", tap);
    ioctl(ctl, SIOCGIFFLAGS, &up);
    up.ifr_flags |= IFF_UP;
    if (ioctl(ctl, SIOCSIFFLAGS, &up) < 0) { perror("tap up"); return 1; }

    int pfd = socket(AF_PACKET, SOCK_RAW, 0);
    if (pfd < 0) { perror("AF_PACKET"); return 1; }
    int one = 1;
    if (setsockopt(pfd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) < 0) { perror("PACKET_QDISC_BYPASS"); return 1; }
    struct ifreq oi;
    memset(&oi, 0, sizeof oi);
    snprintf(oi.ifr_name, IFNAMSIZ, "%s", out);
    if (ioctl(ctl, SIOCGIFINDEX, &oi) < 0) { perror("out ifindex"); return 1; }
    struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_ifindex = oi.ifr_ifindex, .sll_halen = ETH_ALEN};

    unsigned long in = 0, dropped = 0, immediate = 0, delayed = 0, sent = 0, overflow = 0;
    double end = now() + seconds;
    printf("impair ready tap=%s out=%s loss=%.3f reorder=%.3f delay_ms=%.1f\n", tap, out, loss, reorder, delay * 1e3);
    fflush(stdout);
    while (!stop && now() < end) {
        double t = now(), next = t + 0.1;
        for (int i = 0; i < queued;) {
            if (queue[i].due <= t) {
                if (sendto(pfd, queue[i].data, (size_t)queue[i].len, 0, (struct sockaddr *)&ll, sizeof ll) > 0) sent++;
                queue[i] = queue[--queued];
            } else {
                if (queue[i].due < next) next = queue[i].due;
                i++;
            }
        }
        int timeout = (int)((next - t) * 1000.0);
        if (timeout < 0) timeout = 0;
        struct pollfd p = {.fd = tfd, .events = POLLIN};
        /* poll has millisecond resolution: wake a little early and spin on the clock for the rest */
        if (poll(&p, 1, timeout) <= 0)
            continue;
        for (;;) {
            uint8_t buf[MAXF];
            ssize_t n = read(tfd, buf, sizeof buf);
            if (n <= 0)
                break;
            in++;
            if (rnd() < loss) { dropped++; continue; }
            if (rnd() < reorder) {
                immediate++;
                if (sendto(pfd, buf, (size_t)n, 0, (struct sockaddr *)&ll, sizeof ll) > 0) sent++;
                continue;
            }
            if (queued == MAXQ) { overflow++; continue; }
            delayed++;
            queue[queued].due = now() + delay;
            queue[queued].len = (int)n;
            memcpy(queue[queued].data, buf, (size_t)n);
            queued++;
        }
    }
    printf("impair frames_in=%lu dropped=%lu immediate=%lu delayed=%lu sent=%lu overflow=%lu\n",
           in, dropped, immediate, delayed, sent, overflow);
    return 0;
}
