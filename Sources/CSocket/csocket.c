#define _GNU_SOURCE
#include "csocket.h"
#include "cpathtrace.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

const int nls_eai_nodata = EAI_NODATA;

void nls_socket_binding_reset(nls_socket_binding *binding) {
    memset(binding, 0, sizeof(*binding));
    binding->fd = -1;
}

int nls_socket_set_bind(nls_socket_binding *binding, const char *address) {
    memset(&binding->bind_addr, 0, sizeof(binding->bind_addr));
    struct sockaddr_in *v4 = (struct sockaddr_in *)&binding->bind_addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&binding->bind_addr;
    if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        binding->bind_len = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        binding->bind_len = sizeof(*v6);
        return 0;
    }
    binding->bind_len = 0;
    return -1;
}

int nls_socket_open_bound(nls_socket_binding *binding, int family, int socktype, int protocol, int flags) {
    int fd = socket(family, socktype | SOCK_CLOEXEC | flags, protocol);
    if (fd < 0) {
        binding->socket_errno = errno;
        return -1;
    }
    if (binding->bind_len == 0 && binding->bind_any) {
        struct sockaddr_storage any;
        socklen_t any_len;
        memset(&any, 0, sizeof(any));
        any.ss_family = (sa_family_t)family;
        any_len = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
        if (bind(fd, (struct sockaddr *)&any, any_len) != 0) {
            binding->socket_errno = errno;
            binding->bind_failed = 1;
            close(fd);
            return -1;
        }
    }
    if (binding->bind_len > 0) {
        if (binding->bind_addr.ss_family != family) {
            binding->socket_errno = EAFNOSUPPORT;
            binding->bind_failed = 1;
            close(fd);
            return -1;
        }
        if (bind(fd, (struct sockaddr *)&binding->bind_addr, binding->bind_len) != 0) {
            binding->socket_errno = errno;
            binding->bind_failed = 1;
            close(fd);
            return -1;
        }
    }
    if (binding->bind_len > 0 || binding->bind_any) {
        struct sockaddr_storage local;
        socklen_t local_len = sizeof(local);
        if (getsockname(fd, (struct sockaddr *)&local, &local_len) == 0) {
            binding->bound_port = local.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&local)->sin6_port)
                                                              : ntohs(((struct sockaddr_in *)&local)->sin_port);
        }
    }
    binding->fd = fd;
    return fd;
}

int nls_tcp_start(nls_socket_binding *binding, const char *address, int port, int *connected, int *connect_errno) {
    struct sockaddr_storage target;
    socklen_t target_len;
    memset(&target, 0, sizeof(target));
    struct sockaddr_in *v4 = (struct sockaddr_in *)&target;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&target;
    *connected = 0;
    *connect_errno = 0;
    if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        target_len = sizeof(*v4);
    } else if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        target_len = sizeof(*v6);
    } else {
        binding->socket_errno = EINVAL;
        return -1;
    }
    int fd = nls_socket_open_bound(binding, target.ss_family, SOCK_STREAM, IPPROTO_TCP, SOCK_NONBLOCK);
    if (fd < 0) return -1;
    /* ICMP errors answering the SYN are queued with their sender (read by nls_socket_read_icmp_error). */
    (void)nls_socket_enable_recverr(fd, target.ss_family);
    if (connect(fd, (struct sockaddr *)&target, target_len) == 0) {
        *connected = 1;
    } else if (errno != EINPROGRESS) {
        *connect_errno = errno;
        close(fd);
        binding->fd = -1;
        return -1;
    }
    return fd;
}

int nls_tcp_result(int fd) {
    int error = 0;
    socklen_t len = sizeof(error);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) return errno;
    return error;
}

int nls_tcp_state(int fd) {
    struct tcp_info info;
    socklen_t len = sizeof(info);
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) {
        return -1;
    }
    return info.tcpi_state;
}

int nls_local_endpoint(int fd, char *address, size_t address_len, int *port) {
    struct sockaddr_storage local;
    socklen_t len = sizeof(local);
    if (getsockname(fd, (struct sockaddr *)&local, &len) != 0) return -1;
    if (local.ss_family == AF_INET6) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&local;
        *port = ntohs(v6->sin6_port);
        return inet_ntop(AF_INET6, &v6->sin6_addr, address, (socklen_t)address_len) ? 0 : -1;
    }
    struct sockaddr_in *v4 = (struct sockaddr_in *)&local;
    *port = ntohs(v4->sin_port);
    return inet_ntop(AF_INET, &v4->sin_addr, address, (socklen_t)address_len) ? 0 : -1;
}
