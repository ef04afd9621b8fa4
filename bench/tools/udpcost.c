/* udpcost: CPU time that one small UDP datagram costs on its way through a veth.
 *
 * With --tcp it measures a segment of an established connection instead: it connects to DST
 * PORT (a sink that reads), turns Nagle off, writes COUNT times 18 bytes and divides its CPU
 * time by the segments the kernel sent (TCP_INFO's tcpi_segs_out), so segments that the
 * kernel merged are not counted twice.
 *
 * Sends COUNT datagrams of 18 bytes (64-byte Ethernet frames over IPv4) to DST PORT on a
 * connected socket, as fast as it can, and prints the process's CPU time (user + system) per
 * datagram in nanoseconds. On a veth the receiver's whole path (netfilter hooks, nft, the
 * socket) runs in the sender's context, so a ruleset's per-packet cost shows up here. Run it
 * pinned and at a real-time priority (chrt -f 50 taskset -c 1) and other load on the machine
 * barely moves the number. Bounded: COUNT is at most 2,000,000; destinations outside
 * 198.18.0.0/15 and 2001:db8::/32 are refused.
 *
 *   udpcost 2001:db8:1::1 5201 200000        ->  cpu_ns=3901.2 wall_ns=3950.0
 *   udpcost --tcp 198.18.1.1 5202 200000     ->  cpu_ns=4120.7 wall_ns=4200.3 segments=200000
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNT 2000000L
#define WARMUP 20000L

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static long segments_out(int fd)
{
    struct tcp_info info;
    socklen_t len = sizeof info;
    memset(&info, 0, sizeof info);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
        return -1;
    return (long)info.tcpi_segs_out;
}

int main(int argc, char **argv)
{
    int tcp = argc > 1 && strcmp(argv[1], "--tcp") == 0;
    if (tcp) {
        argc--;
        argv++;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: udpcost [--tcp] DST PORT COUNT\n");
        return 2;
    }
    long count = atol(argv[3]);
    int port = atoi(argv[2]);
    if (count < 1 || count > MAX_COUNT || port < 1 || port > 65535) {
        fprintf(stderr, "udpcost: COUNT must be 1..%ld and PORT 1..65535\n", MAX_COUNT);
        return 2;
    }

    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    struct sockaddr *to;
    socklen_t len;
    if (inet_pton(AF_INET, argv[1], &a4.sin_addr) == 1) {
        if ((ntohl(a4.sin_addr.s_addr) & 0xfffe0000u) != 0xc6120000u) {
            fprintf(stderr, "udpcost: refusing destination %s: only 198.18.0.0/15\n", argv[1]);
            return 2;
        }
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)port);
        to = (struct sockaddr *)&a4;
        len = sizeof a4;
    } else if (inet_pton(AF_INET6, argv[1], &a6.sin6_addr) == 1) {
        const unsigned char *b = a6.sin6_addr.s6_addr;
        if (!(b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)) {
            fprintf(stderr, "udpcost: refusing destination %s: only 2001:db8::/32\n", argv[1]);
            return 2;
        }
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)port);
        to = (struct sockaddr *)&a6;
        len = sizeof a6;
    } else {
        fprintf(stderr, "udpcost: %s is not an address\n", argv[1]);
        return 2;
    }

    int fd = socket(to->sa_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    int one = 1;
    if (fd < 0 || (tcp && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) || connect(fd, to, len) != 0) {
        perror("udpcost");
        return 1;
    }
    char payload[18] = {0};
    for (long i = 0; i < WARMUP; i++)
        if (send(fd, payload, sizeof payload, 0) < 0 && tcp) {
            perror("udpcost: send");
            return 1;
        }
    long s0 = tcp ? segments_out(fd) : 0;
    double w0 = wall(), c0 = cpu();
    for (long i = 0; i < count; i++)
        if (send(fd, payload, sizeof payload, 0) < 0 && tcp) {
            perror("udpcost: send");
            return 1;
        }
    double w1 = wall(), c1 = cpu();
    long sent = tcp ? segments_out(fd) - s0 : count;
    if (sent < 1) {
        fprintf(stderr, "udpcost: no segments counted\n");
        return 1;
    }
    printf("cpu_ns=%.1f wall_ns=%.1f segments=%ld\n", (c1 - c0) * 1e9 / sent, (w1 - w0) * 1e9 / sent, sent);
    close(fd);
    return 0;
}
