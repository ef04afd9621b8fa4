/* acceptor: the protected service for latency and bad-link runs. Listens on PORT
 * (IPv4 and IPv6), writes a one-line banner to each connection and closes it, so a
 * ProxyCommand-style client with stdin at EOF finishes as soon as it is connected.
 * Exits by itself after --seconds (default 1800).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: acceptor PORT [--seconds N]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int seconds = argc > 3 && !strcmp(argv[2], "--seconds") ? atoi(argv[3]) : 1800;
    signal(SIGPIPE, SIG_IGN);
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    int one = 1, zero = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)port), .sin6_addr = in6addr_any};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 1024)) {
        perror("acceptor");
        return 1;
    }
    time_t end = time(NULL) + seconds;
    while (time(NULL) < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 1000) != 1)
            continue;
        int c = accept(fd, NULL, NULL);
        if (c < 0)
            continue;
        static const char banner[] = "nftknock-bench\n";
        ssize_t w = write(c, banner, sizeof banner - 1);
        (void)w;
        shutdown(c, SHUT_WR);
        close(c);
    }
    return 0;
}
