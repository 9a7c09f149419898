#ifndef NLSPROBE_CCURL_H
#define NLSPROBE_CCURL_H

#include <curl/curl.h>
#include <sys/socket.h>
#include <stddef.h>

/* Typed wrappers over libcurl's variadic calls, which Swift cannot call directly. */
CURLcode nls_easy_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode nls_easy_setopt_string(CURL *easy, CURLoption option, const char *value);
CURLcode nls_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value);
CURLcode nls_easy_getinfo_long(CURL *easy, CURLINFO info, long *value);
CURLcode nls_easy_getinfo_offset(CURL *easy, CURLINFO info, curl_off_t *value);
CURLcode nls_easy_getinfo_string(CURL *easy, CURLINFO info, const char **value);
CURLcode nls_easy_getinfo_certinfo(CURL *easy, struct curl_certinfo **value);
CURLMcode nls_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/* Macros Swift cannot import. */
static const unsigned long NLS_CURLAUTH_ANY = CURLAUTH_ANY;
static const unsigned int NLS_CURLH_CONNECT = CURLH_CONNECT;

/* 1 when the linked libcurl has a TLS backend. */
int nls_curl_has_tls(void);

/* What one probe attempt needs beyond libcurl's own state: the source address to bind in
   the socket callback, what the callback saw, libcurl's error text, and whether the first
   byte of a response body arrived (the transfer is stopped there: the headers prove the path). */
typedef struct nls_probe_ctx {
    struct sockaddr_storage bind_addr;
    socklen_t bind_len;         /* 0: bind nothing (unless bind_any) */
    int bind_any;               /* 1: without a source address, bind the wildcard address, port 0, so
                                   the local port is known before the SYN leaves (packet capture) */
    int bound_port;             /* the local port after bind, 0 when nothing was bound */
    int fd;                     /* the socket libcurl connects with, -1 before */
    int socket_errno;           /* errno of socket() or bind() when they failed, else 0 */
    int bind_failed;            /* 1 when bind() failed, 0 when socket() failed or all went well */
    int body_seen;              /* 1 once a response body byte arrived */
    int pending_status;         /* the status of the answer whose header lines are arriving, 0 between answers */
    int ok_answer_ended;        /* 1 once an answer with a 2xx status has ended (its blank line came):
                                   for a tunnelled check, the proxy's complete yes to CONNECT */
    char error[CURL_ERROR_SIZE];
    /* TLS facts recorded by OpenSSL callbacks during the handshake, whatever its outcome. */
    char tls_version[32];
    char tls_cipher[96];
    char tls_alpn[32];
    int tls_verify_error;       /* first X509 verification error seen, 0 when none */
    /* The chain as presented, one certificate a line, leaf first:
       subject TAB issuer TAB notBefore TAB notAfter TAB sha256 NEWLINE */
    char tls_chain[4096];
} nls_probe_ctx;

/* Sets the error buffer, the socket callback, the header callback that follows answers as they end,
   and the body-stopping write callback. */
CURLcode nls_probe_install(CURL *easy, nls_probe_ctx *ctx);

/* Fills ctx->bind_addr from a numeric IPv4 or IPv6 address; returns 0 or -1. */
int nls_probe_set_bind(nls_probe_ctx *ctx, const char *address);

/* A plain TCP connect without libcurl, for direct `tcp` checks: opens a non-blocking socket of
   the address's family, binds it as the socket callback would (ctx->bind_*), and starts connect().
   Returns the socket (>= 0) with *connected set to 1 when connect() finished at once, 0 when it
   is in progress, or -1 with ctx->socket_errno/bind_failed set (socket or bind failed) or
   *connect_errno set (connect failed at once, e.g. ECONNREFUSED, ENETUNREACH). */
int nls_tcp_start(nls_probe_ctx *ctx, const char *address, int port, int *connected, int *connect_errno);

/* The outcome of a non-blocking connect once the socket is writable: 0 or an errno value. */
int nls_tcp_result(int fd);

/* The local address and port of a socket; returns 0, or -1. */
int nls_local_endpoint(int fd, char *address, size_t address_len, int *port);

static const short NLS_WAIT_POLLOUT = CURL_WAIT_POLLOUT;

/* The kernel's TCP state of a socket (1 established, 2 SYN sent, ...), or -1. */
int nls_tcp_state(int fd);

/* Installs OpenSSL callbacks that record the presented chain, version, cipher and ALPN into
   ctx, also when verification fails. Call for TLS checks after nls_probe_install. */
CURLcode nls_probe_record_tls(CURL *easy, nls_probe_ctx *ctx);

#endif
