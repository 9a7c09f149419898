#define _GNU_SOURCE
#include "cpathtrace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int nls_socket_enable_recverr(int fd, int family) {
    int on = 1;
    if (family == AF_INET6) {
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on)) != 0) return -1;
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
        /* A v6 socket may carry v4-mapped flows: ask for both. */
        (void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
        return 0;
    }
    if (setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) != 0) return -1;
    (void)setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
    return 0;
}

int nls_socket_disable_recverr(int fd) {
    int off = 0;
    int family = 0;
    socklen_t length = sizeof(family);
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &length) != 0) return -1;
    if (family == AF_INET6) {
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &off, sizeof(off)) != 0) return -1;
        /* A v6 socket had both turned on (v4-mapped flows). */
        (void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &off, sizeof(off));
        return 0;
    }
    return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &off, sizeof(off));
}

int nls_socket_read_icmp_error(int fd, nls_icmp_error *error) {
    memset(error, 0, sizeof(*error));
    error->ttl = -1;
    unsigned char payload[64];
    unsigned char control[512];
    struct sockaddr_storage from;
    /* At most a few queued errors: the first ICMP one is kept. */
    for (int round = 0; round < 8; round++) {
        struct iovec iov = {payload, sizeof(payload)};
        struct msghdr msg;
        memset(&msg, 0, sizeof(msg));
        msg.msg_name = &from;
        msg.msg_namelen = sizeof(from);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
        if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
            return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
        }
        int ttl = -1;
        struct sock_extended_err *found = NULL;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
            if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
                (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
                found = (struct sock_extended_err *)CMSG_DATA(c);
            } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
                int value;
                memcpy(&value, CMSG_DATA(c), sizeof(value));
                ttl = value;
            } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
                int value;
                memcpy(&value, CMSG_DATA(c), sizeof(value));
                ttl = value;
            }
        }
        if (found == NULL) continue;
        if (found->ee_origin != SO_EE_ORIGIN_ICMP && found->ee_origin != SO_EE_ORIGIN_ICMP6) continue;
        error->present = 1;
        error->version = found->ee_origin == SO_EE_ORIGIN_ICMP6 ? 6 : 4;
        error->type = found->ee_type;
        error->code = found->ee_code;
        error->error_number = (int)found->ee_errno;
        error->ttl = ttl;
        struct sockaddr *offender = SO_EE_OFFENDER(found);
        if (offender->sa_family == AF_INET) {
            inet_ntop(AF_INET, &((struct sockaddr_in *)offender)->sin_addr, error->offender, sizeof(error->offender));
        } else if (offender->sa_family == AF_INET6) {
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)offender)->sin6_addr, error->offender,
                      sizeof(error->offender));
        }
        return 1;
    }
    return 0;
}

static int parse_address(const char *text, int port, struct sockaddr_storage *out, socklen_t *length) {
    memset(out, 0, sizeof(*out));
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *length = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *length = sizeof(*v6);
        return 0;
    }
    return -1;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int nls_trace_probe(const char *source, int source_port, const char *destination, int port, int ttl, int wait_ms,
                    nls_trace_result *result) {
    memset(result, 0, sizeof(*result));
    result->icmp.ttl = -1;
    struct sockaddr_storage target, local;
    socklen_t target_len, local_len;
    if (parse_address(destination, port, &target, &target_len) != 0) return -1;
    int family = target.ss_family;
    if (source != NULL && source[0] != 0) {
        if (parse_address(source, source_port, &local, &local_len) != 0) return -1;
        if (local.ss_family != family) return -1;
    } else {
        memset(&local, 0, sizeof(local));
        local.ss_family = (sa_family_t)family;
        if (family == AF_INET6) {
            ((struct sockaddr_in6 *)&local)->sin6_port = htons((uint16_t)source_port);
            local_len = sizeof(struct sockaddr_in6);
        } else {
            ((struct sockaddr_in *)&local)->sin_port = htons((uint16_t)source_port);
            local_len = sizeof(struct sockaddr_in);
        }
    }
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) {
        result->outcome = NLS_TRACE_LOCAL;
        result->error_number = errno;
        return 0;
    }
    int on = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    /* Closing after a SYN-ACK sends a reset, not a FIN: the probe never holds a connection. */
    struct linger abort_on_close = {1, 0};
    (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
    if (nls_socket_enable_recverr(fd, family) != 0 ||
        (family == AF_INET6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl))
                            : setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl))) != 0) {
        result->outcome = NLS_TRACE_LOCAL;
        result->error_number = errno;
        close(fd);
        return 0;
    }
    if (bind(fd, (struct sockaddr *)&local, local_len) != 0) {
        result->outcome = NLS_TRACE_LOCAL;
        result->error_number = errno;
        result->bind_failed = 1;
        close(fd);
        return 0;
    }
    struct sockaddr_storage bound;
    socklen_t bound_len = sizeof(bound);
    if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) == 0) {
        result->local_port = bound.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&bound)->sin6_port)
                                                         : ntohs(((struct sockaddr_in *)&bound)->sin_port);
    }
    double started = now_ms();
    if (connect(fd, (struct sockaddr *)&target, target_len) != 0 && errno != EINPROGRESS) {
        result->error_number = errno;
        result->elapsed_ms = now_ms() - started;
        if (nls_socket_read_icmp_error(fd, &result->icmp) == 1) {
            result->outcome = NLS_TRACE_ICMP;
        } else {
            result->outcome = errno == ECONNREFUSED ? NLS_TRACE_RESET : NLS_TRACE_LOCAL;
        }
        close(fd);
        return 0;
    }
    struct pollfd p = {fd, POLLOUT, 0};
    int remaining = wait_ms;
    int ready = 0;
    while (remaining > 0) {
        ready = poll(&p, 1, remaining);
        if (ready >= 0 || errno != EINTR) break;
        remaining = wait_ms - (int)(now_ms() - started);
    }
    result->elapsed_ms = now_ms() - started;
    if (ready <= 0) {
        result->outcome = NLS_TRACE_SILENCE;
        close(fd);
        return 0;
    }
    int error = 0;
    socklen_t error_len = sizeof(error);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len) != 0) error = errno;
    result->error_number = error;
    if (nls_socket_read_icmp_error(fd, &result->icmp) == 1) {
        result->outcome = NLS_TRACE_ICMP;
    } else if (error == 0) {
        result->outcome = NLS_TRACE_CONNECTED;
    } else if (error == ECONNREFUSED) {
        result->outcome = NLS_TRACE_RESET;
    } else {
        result->outcome = NLS_TRACE_LOCAL;
    }
    close(fd);
    return 0;
}

int nls_udp_connect(const char *address, int port) {
    struct sockaddr_storage target;
    socklen_t length;
    if (parse_address(address, port, &target, &length) != 0) {
        errno = EINVAL;
        return -1;
    }
    int fd = socket(target.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&target, length) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

long nls_udp_send(int fd, const unsigned char *bytes, size_t length) {
    return (long)send(fd, bytes, length, MSG_NOSIGNAL);
}

long nls_udp_receive(int fd, unsigned char *buffer, size_t capacity) {
    ssize_t n = recv(fd, buffer, capacity, MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    return (long)((size_t)n > capacity ? capacity : (size_t)n);
}

int nls_wait_readable(const int *fds, int count, int wait_ms, int *readable) {
    if (count <= 0 || count > 256) return -1;
    struct pollfd polls[256];
    for (int i = 0; i < count; i++) {
        polls[i].fd = fds[i];
        polls[i].events = POLLIN;
        polls[i].revents = 0;
        readable[i] = 0;
    }
    int ready = poll(polls, (nfds_t)count, wait_ms);
    if (ready <= 0) return ready;
    for (int i = 0; i < count; i++) readable[i] = (polls[i].revents & (POLLIN | POLLERR)) != 0;
    return ready;
}

int nls_reset_watch_open(void) {
    return socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
}

int nls_reset_watch_ttl(int fd, const char *from, int from_port, int to_port) {
    struct in_addr source;
    if (inet_pton(AF_INET, from, &source) != 1) return -1;
    unsigned char packet[128];
    int ttl = -1;
    for (int i = 0; i < 1024; i++) {
        ssize_t n = recv(fd, packet, sizeof(packet), MSG_DONTWAIT);
        if (n < 0) break;
        if (n < 20 || (packet[0] >> 4) != 4) continue;
        size_t ihl = (size_t)(packet[0] & 0x0f) * 4;
        if (ihl < 20 || (size_t)n < ihl + 14) continue;
        if (memcmp(&packet[12], &source, 4) != 0) continue;
        int sport = (packet[ihl] << 8) | packet[ihl + 1];
        int dport = (packet[ihl + 2] << 8) | packet[ihl + 3];
        unsigned char flags = packet[ihl + 13];
        if (sport == from_port && dport == to_port && (flags & 0x04) != 0) ttl = packet[8];
    }
    return ttl;
}
