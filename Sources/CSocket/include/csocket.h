#ifndef NLSPROBE_CSOCKET_H
#define NLSPROBE_CSOCKET_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

/* How a check's socket is bound before it connects, and what came of it. Shared by libcurl's
   socket callback (CCurl) and plain TCP checks, so both bind the same way. */
typedef struct nls_socket_binding {
    struct sockaddr_storage bind_addr;
    socklen_t bind_len;         /* 0: bind nothing (unless bind_any) */
    int bind_any;               /* 1: without a source address, bind the wildcard address, port 0, so
                                   the local port is known before the SYN leaves (packet capture) */
    int bound_port;             /* the local port after bind, 0 when nothing was bound */
    int fd;                     /* the socket opened, -1 before */
    int socket_errno;           /* errno of socket() or bind() when they failed, else 0 */
    int bind_failed;            /* 1 when bind() failed, 0 when socket() failed or all went well */
} nls_socket_binding;

/* getaddrinfo's EAI_NODATA ("the name has no address of the family asked for"), a GNU extension
   netdb.h declares only under _GNU_SOURCE, so Swift does not see it. */
extern const int nls_eai_nodata;

/* Resets a binding: nothing to bind, no socket yet, no error. */
void nls_socket_binding_reset(nls_socket_binding *binding);

/* Sets the source address from a numeric IPv4 or IPv6 address; returns 0 or -1. */
int nls_socket_set_bind(nls_socket_binding *binding, const char *address);

/* Opens a socket of the given family, type and protocol (`flags` adds e.g. SOCK_NONBLOCK), bound
   as `binding` says; records the socket, the bound port or the failure in `binding`. Returns the
   socket (>= 0) or -1. */
int nls_socket_open_bound(nls_socket_binding *binding, int family, int socktype, int protocol, int flags);

/* A plain TCP connect without libcurl, for direct `tcp` checks: opens a non-blocking socket of
   the address's family, bound as `binding` says, and starts connect(). Returns the socket (>= 0)
   with *connected set to 1 when connect() finished at once, 0 when it is in progress, or -1 with
   binding->socket_errno/bind_failed set (the address did not parse, or socket or bind failed) or
   *connect_errno set (connect failed at once, e.g. ECONNREFUSED, ENETUNREACH). */
int nls_tcp_start(nls_socket_binding *binding, const char *address, int port, int *connected, int *connect_errno);

/* The outcome of a non-blocking connect once the socket is writable: 0 or an errno value. */
int nls_tcp_result(int fd);

/* The kernel's TCP state of a socket (TCP_ESTABLISHED, TCP_SYN_SENT, ... in netinet/tcp.h), or -1. */
int nls_tcp_state(int fd);

/* The local address and port of a socket; returns 0, or -1. */
int nls_local_endpoint(int fd, char *address, size_t address_len, int *port);

#endif
