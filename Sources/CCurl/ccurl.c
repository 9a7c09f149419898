#include "ccurl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

CURLcode nls_easy_setopt_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}

CURLcode nls_easy_setopt_string(CURL *easy, CURLoption option, const char *value) {
    return curl_easy_setopt(easy, option, value);
}

CURLcode nls_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(easy, option, value);
}

CURLcode nls_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) {
    return curl_easy_getinfo(easy, info, value);
}

CURLcode nls_easy_getinfo_offset(CURL *easy, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(easy, info, value);
}

CURLcode nls_easy_getinfo_string(CURL *easy, CURLINFO info, const char **value) {
    return curl_easy_getinfo(easy, info, value);
}

CURLcode nls_easy_getinfo_certinfo(CURL *easy, struct curl_certinfo **value) {
    return curl_easy_getinfo(easy, CURLINFO_CERTINFO, value);
}

CURLMcode nls_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

int nls_curl_has_tls(void) {
    curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info != NULL && info->ssl_version != NULL && (info->features & CURL_VERSION_SSL) != 0;
}

/* Opens a socket bound as ctx says; `flags` adds SOCK_NONBLOCK for the plain TCP path. */
static int nls_open_bound(nls_probe_ctx *ctx, struct curl_sockaddr *address, int flags) {
    int fd = socket(address->family, address->socktype | SOCK_CLOEXEC | flags, address->protocol);
    if (fd < 0) {
        ctx->socket_errno = errno;
        return -1;
    }
    if (ctx->bind_len == 0 && ctx->bind_any) {
        struct sockaddr_storage any;
        socklen_t any_len;
        memset(&any, 0, sizeof(any));
        any.ss_family = (sa_family_t)address->family;
        any_len = address->family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
        if (bind(fd, (struct sockaddr *)&any, any_len) != 0) {
            ctx->socket_errno = errno;
            ctx->bind_failed = 1;
            close(fd);
            return -1;
        }
    }
    if (ctx->bind_len > 0) {
        if (ctx->bind_addr.ss_family != address->family) {
            ctx->socket_errno = EAFNOSUPPORT;
            ctx->bind_failed = 1;
            close(fd);
            return -1;
        }
        if (bind(fd, (struct sockaddr *)&ctx->bind_addr, ctx->bind_len) != 0) {
            ctx->socket_errno = errno;
            ctx->bind_failed = 1;
            close(fd);
            return -1;
        }
    }
    if (ctx->bind_len > 0 || ctx->bind_any) {
        struct sockaddr_storage local;
        socklen_t local_len = sizeof(local);
        if (getsockname(fd, (struct sockaddr *)&local, &local_len) == 0) {
            ctx->bound_port = local.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&local)->sin6_port)
                                                          : ntohs(((struct sockaddr_in *)&local)->sin_port);
        }
    }
    ctx->fd = fd;
    return fd;
}

static curl_socket_t nls_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)purpose;
    int fd = nls_open_bound((nls_probe_ctx *)clientp, address, 0);
    return fd < 0 ? CURL_SOCKET_BAD : fd;
}

static size_t nls_stop_at_body(char *data, size_t size, size_t count, void *userdata) {
    (void)data;
    nls_probe_ctx *ctx = (nls_probe_ctx *)userdata;
    if (size * count > 0) {
        ctx->body_seen = 1;
    }
    return 0;
}

/* Follows the answers' header lines: the status of each answer, and whether a 2xx answer ended.
   A status line that starts an answer is "HTTP/x.y NNN ..."; a blank line ends it. */
static size_t nls_header_seen(char *data, size_t size, size_t count, void *userdata) {
    nls_probe_ctx *ctx = (nls_probe_ctx *)userdata;
    size_t len = size * count;
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        const char *space = memchr(data, ' ', len);
        int code = 0;
        if (space != NULL) {
            for (const char *p = space + 1; p < data + len && *p >= '0' && *p <= '9' && code < 1000; p++) {
                code = code * 10 + (*p - '0');
            }
        }
        ctx->pending_status = code;
    } else if ((len == 2 && data[0] == '\r' && data[1] == '\n') || (len == 1 && data[0] == '\n')) {
        if (ctx->pending_status >= 200 && ctx->pending_status < 300) ctx->ok_answer_ended = 1;
        ctx->pending_status = 0;
    }
    return len;
}

CURLcode nls_probe_install(CURL *easy, nls_probe_ctx *ctx) {
    ctx->fd = -1;
    ctx->bound_port = 0;
    ctx->socket_errno = 0;
    ctx->bind_failed = 0;
    ctx->body_seen = 0;
    ctx->pending_status = 0;
    ctx->ok_answer_ended = 0;
    ctx->error[0] = 0;
    CURLcode rc = curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, ctx->error);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, nls_open_socket);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, ctx);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, nls_stop_at_body);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_WRITEDATA, ctx);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, nls_header_seen);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_HEADERDATA, ctx);
    return rc;
}

int nls_probe_set_bind(nls_probe_ctx *ctx, const char *address) {
    memset(&ctx->bind_addr, 0, sizeof(ctx->bind_addr));
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ctx->bind_addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ctx->bind_addr;
    if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        ctx->bind_len = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        ctx->bind_len = sizeof(*v6);
        return 0;
    }
    ctx->bind_len = 0;
    return -1;
}

int nls_tcp_state(int fd) {
    struct tcp_info info;
    socklen_t len = sizeof(info);
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) {
        return -1;
    }
    return info.tcpi_state;
}

static void nls_copy(char *dst, size_t len, const char *src, size_t src_len) {
    if (len == 0) return;
    size_t n = src_len < len - 1 ? src_len : len - 1;
    if (src != NULL && n > 0) memcpy(dst, src, n);
    dst[src != NULL ? n : 0] = 0;
}

static int nls_ex_index(void) {
    static int index = -2;
    if (index == -2) index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    return index;
}

static nls_probe_ctx *nls_ctx_of(const SSL *ssl) {
    SSL_CTX *sctx = ssl != NULL ? SSL_get_SSL_CTX(ssl) : NULL;
    int index = nls_ex_index();
    return sctx != NULL && index >= 0 ? (nls_probe_ctx *)SSL_CTX_get_ex_data(sctx, index) : NULL;
}

static void nls_record_session(const SSL *ssl, nls_probe_ctx *ctx) {
    const char *v = SSL_get_version(ssl);
    if (v != NULL) nls_copy(ctx->tls_version, sizeof(ctx->tls_version), v, strlen(v));
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    if (c == NULL) c = SSL_get_pending_cipher(ssl);
    const char *cn = c != NULL ? SSL_CIPHER_standard_name(c) : NULL;
    if (cn != NULL) nls_copy(ctx->tls_cipher, sizeof(ctx->tls_cipher), cn, strlen(cn));
    const unsigned char *proto = NULL;
    unsigned int proto_len = 0;
    SSL_get0_alpn_selected(ssl, &proto, &proto_len);
    if (proto != NULL) nls_copy(ctx->tls_alpn, sizeof(ctx->tls_alpn), (const char *)proto, proto_len);
}

static void nls_append(nls_probe_ctx *ctx, const char *text, size_t len) {
    size_t used = strlen(ctx->tls_chain);
    if (used + len + 1 > sizeof(ctx->tls_chain)) return;
    memcpy(ctx->tls_chain + used, text, len);
    ctx->tls_chain[used + len] = 0;
}

static void nls_append_bio(nls_probe_ctx *ctx, BIO *bio) {
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    for (long i = 0; i < len; i++) {
        if (data[i] == '\t' || data[i] == '\n') data[i] = ' ';
    }
    if (len > 0) nls_append(ctx, data, (size_t)len);
    (void)BIO_reset(bio);
}

static void nls_append_time(nls_probe_ctx *ctx, const ASN1_TIME *time) {
    struct tm tm;
    char text[32] = "";
    if (time != NULL && ASN1_TIME_to_tm(time, &tm) == 1) {
        strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    nls_append(ctx, text, strlen(text));
}

static void nls_record_chain(STACK_OF(X509) *chain, nls_probe_ctx *ctx) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return;
    ctx->tls_chain[0] = 0;
    int count = sk_X509_num(chain);
    for (int i = 0; i < count && i < 10; i++) {
        X509 *cert = sk_X509_value(chain, i);
        X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
        nls_append_bio(ctx, bio);
        nls_append(ctx, "\t", 1);
        X509_NAME_print_ex(bio, X509_get_issuer_name(cert), 0, XN_FLAG_RFC2253);
        nls_append_bio(ctx, bio);
        nls_append(ctx, "\t", 1);
        nls_append_time(ctx, X509_get0_notBefore(cert));
        nls_append(ctx, "\t", 1);
        nls_append_time(ctx, X509_get0_notAfter(cert));
        nls_append(ctx, "\t", 1);
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int digest_len = 0;
        if (X509_digest(cert, EVP_sha256(), digest, &digest_len) == 1) {
            char hex[2 * EVP_MAX_MD_SIZE + 1];
            for (unsigned int j = 0; j < digest_len; j++) snprintf(hex + 2 * j, 3, "%02x", digest[j]);
            nls_append(ctx, hex, 2 * digest_len);
        }
        nls_append(ctx, "\n", 1);
    }
    BIO_free(bio);
}

static int nls_verify(int preverify_ok, X509_STORE_CTX *store) {
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    nls_probe_ctx *ctx = nls_ctx_of(ssl);
    if (ctx != NULL) {
        if (ctx->tls_chain[0] == 0) {
            STACK_OF(X509) *presented = SSL_get_peer_cert_chain(ssl);
            if (presented == NULL) presented = X509_STORE_CTX_get0_untrusted(store);
            if (presented != NULL) nls_record_chain(presented, ctx);
            nls_record_session(ssl, ctx);
        }
        if (!preverify_ok && ctx->tls_verify_error == 0) {
            ctx->tls_verify_error = X509_STORE_CTX_get_error(store);
        }
    }
    return preverify_ok;
}

static void nls_info(const SSL *ssl, int where, int ret) {
    (void)ret;
    if ((where & SSL_CB_HANDSHAKE_DONE) == 0) return;
    nls_probe_ctx *ctx = nls_ctx_of(ssl);
    if (ctx == NULL) return;
    nls_record_session(ssl, ctx);
    if (ctx->tls_chain[0] == 0) {
        STACK_OF(X509) *presented = SSL_get_peer_cert_chain(ssl);
        if (presented != NULL) nls_record_chain(presented, ctx);
    }
}

static CURLcode nls_ssl_ctx(CURL *easy, void *ssl_ctx, void *userptr) {
    (void)easy;
    SSL_CTX *sctx = (SSL_CTX *)ssl_ctx;
    int index = nls_ex_index();
    if (index < 0 || SSL_CTX_set_ex_data(sctx, index, userptr) != 1) return CURLE_OK;
    SSL_CTX_set_verify(sctx, SSL_CTX_get_verify_mode(sctx), nls_verify);
    SSL_CTX_set_info_callback(sctx, nls_info);
    return CURLE_OK;
}

CURLcode nls_probe_record_tls(CURL *easy, nls_probe_ctx *ctx) {
    ctx->tls_version[0] = 0;
    ctx->tls_cipher[0] = 0;
    ctx->tls_alpn[0] = 0;
    ctx->tls_chain[0] = 0;
    ctx->tls_verify_error = 0;
    CURLcode rc = curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, nls_ssl_ctx);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, ctx);
    return rc;
}

int nls_tcp_start(nls_probe_ctx *ctx, const char *address, int port, int *connected, int *connect_errno) {
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
        ctx->socket_errno = EINVAL;
        return -1;
    }
    struct curl_sockaddr request;
    memset(&request, 0, sizeof(request));
    request.family = target.ss_family;
    request.socktype = SOCK_STREAM;
    request.protocol = IPPROTO_TCP;
    int fd = nls_open_bound(ctx, &request, SOCK_NONBLOCK);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&target, target_len) == 0) {
        *connected = 1;
    } else if (errno != EINPROGRESS) {
        *connect_errno = errno;
        close(fd);
        ctx->fd = -1;
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
