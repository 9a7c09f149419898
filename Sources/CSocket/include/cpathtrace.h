#ifndef NLSPROBE_CPATHTRACE_H
#define NLSPROBE_CPATHTRACE_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

/* An ICMP error the kernel queued on a socket with IP_RECVERR / IPV6_RECVERR (MSG_ERRQUEUE):
   who sent it (SO_EE_OFFENDER), its type and code, and the TTL it arrived with when known. */
typedef struct nls_icmp_error {
    int present;                   /* 1 when an ICMP error was read */
    int version;                   /* 4 (ICMP) or 6 (ICMPv6) */
    int type;                      /* ICMP type (3 unreachable, 11 time exceeded; v6: 1, 3) */
    int code;                      /* ICMP code */
    int error_number;              /* the errno the kernel made of it */
    int ttl;                       /* TTL (hop limit) of the ICMP packet as received, -1 when unknown */
    char offender[INET6_ADDRSTRLEN]; /* the sender's numeric address, "" when none */
} nls_icmp_error;

/* Asks the kernel to queue ICMP errors of a socket (IP_RECVERR / IPV6_RECVERR) with the TTL they
   arrived with (IP_RECVTTL / IPV6_RECVHOPLIMIT). Returns 0, or -1 with errno. */
int nls_socket_enable_recverr(int fd, int family);

/* Turns IP_RECVERR (and IPV6_RECVERR) off again, dropping what the error queue holds. Returns 0,
   or -1 with errno. */
int nls_socket_disable_recverr(int fd);

/* Reads one queued ICMP error without waiting; returns 1 when one was read into *error, 0 when
   the queue held none (or only a local error), -1 on failure. */
int nls_socket_read_icmp_error(int fd, nls_icmp_error *error);

/* What one trace probe (a SYN with a given TTL) brought back. */
enum nls_trace_outcome {
    NLS_TRACE_SILENCE = 0,   /* nothing within the wait */
    NLS_TRACE_CONNECTED = 1, /* SYN-ACK: the handshake completed (closed with a reset at once) */
    NLS_TRACE_RESET = 2,     /* a reset answered the SYN */
    NLS_TRACE_ICMP = 3,      /* an ICMP error: see icmp */
    NLS_TRACE_LOCAL = 4      /* this host could not send it: see error_number */
};

typedef struct nls_trace_result {
    int outcome;             /* enum nls_trace_outcome */
    int error_number;        /* errno of the failure (socket, bind, connect), else 0 */
    int bind_failed;         /* 1 when bind() failed (the source port is taken) */
    int local_port;          /* the source port used */
    double elapsed_ms;       /* from connect() to the answer */
    nls_icmp_error icmp;
} nls_trace_result;

/* Sends one SYN from `source` (numeric, or NULL/"" for the kernel's choice) port `source_port`
   (0: any) to `destination`:`port` with IP TTL / IPv6 hop limit `ttl`, waits at most `wait_ms`
   for an answer, and closes the socket (a completed handshake is reset, never left open).
   SO_REUSEADDR lets successive probes keep one source port, so every probe is the same flow.
   Returns 0 with *result filled, or -1 when the addresses do not parse. */
int nls_trace_probe(const char *source, int source_port, const char *destination, int port, int ttl, int wait_ms,
                    nls_trace_result *result);

/* A non-blocking UDP socket connect()ed to `address`:`port` (numeric), so only that server's
   answers arrive on it. Returns the socket, or -1 with errno. */
int nls_udp_connect(const char *address, int port);

/* Sends a datagram; returns the bytes sent, or -1 with errno. */
long nls_udp_send(int fd, const unsigned char *bytes, size_t length);

/* Receives one datagram into `buffer` without waiting; returns its length (cut to `capacity`),
   0 when none is waiting, or -1 with errno (e.g. ECONNREFUSED: ICMP port unreachable). */
long nls_udp_receive(int fd, unsigned char *buffer, size_t capacity);

/* Waits at most `wait_ms` for any of `count` sockets to become readable; sets readable[i] to 1
   for each that is. Returns how many are, 0 on timeout, -1 on failure. */
int nls_wait_readable(const int *fds, int count, int wait_ms, int *readable);

/* A raw IPv4 TCP socket that only receives (CAP_NET_RAW): every TCP segment this host receives is
   copied to it, so the TTL of a reset can be read. Returns the socket, or -1 with errno (EPERM
   without CAP_NET_RAW). */
int nls_reset_watch_open(void);

/* Reads what waits on a reset watch (at most 1024 segments, without waiting) and returns the TTL
   of the last reset from `from`:`from_port` to local port `to_port`, or -1 when none came. */
int nls_reset_watch_ttl(int fd, const char *from, int from_port, int to_port);

#endif
