/* tcpconnect: an eager TCP connector, the "client that retries at once" used after
 * knockd's and fwknop's clients (and the seeds' knock script), so their latency is not
 * padded by the kernel's 1 s SYN retransmission timer.
 *
 *   tcpconnect ADDR PORT [--attempt-ms 15] [--deadline-ms 5000]
 *
 * Each attempt is a non-blocking connect that waits --attempt-ms for the handshake;
 * an attempt that times out or is refused is closed and retried at once, until the
 * deadline. Prints the elapsed milliseconds and the number of attempts; exit 0 when
 * connected, 1 at the deadline.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: tcpconnect ADDR PORT [--attempt-ms N] [--deadline-ms N] [--quiet]\n");
        return 2;
    }
    int attempt_ms = 15, deadline_ms = 5000, quiet = 0;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--attempt-ms") && i + 1 < argc) attempt_ms = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--deadline-ms") && i + 1 < argc) deadline_ms = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--quiet")) quiet = 1;
    }
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    int port = atoi(argv[2]);
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, argv[1], &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)port);
        sl = sizeof *s4;
    } else if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        sl = sizeof *s6;
    } else {
        fprintf(stderr, "tcpconnect: %s is not an address\n", argv[1]);
        return 2;
    }
    double t0 = now_ms();
    int attempts = 0;
    while (now_ms() - t0 < deadline_ms) {
        attempts++;
        int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd < 0) { perror("socket"); return 1; }
        int r = connect(fd, (struct sockaddr *)&ss, sl);
        if (r < 0 && errno != EINPROGRESS) {
            close(fd);
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
            continue;
        }
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        if (r == 0 || poll(&p, 1, attempt_ms) == 1) {
            int err = 0;
            socklen_t el = sizeof err;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
            if (err == 0) {
                double ms = now_ms() - t0;
                close(fd);
                if (!quiet) printf("connected_ms=%.3f attempts=%d\n", ms, attempts);
                return 0;
            }
            /* Refused or unreachable: back off a little so a closed port is not a busy loop. */
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
        }
        close(fd);
    }
    if (!quiet) printf("timeout_ms=%.3f attempts=%d\n", now_ms() - t0, attempts);
    return 1;
}
