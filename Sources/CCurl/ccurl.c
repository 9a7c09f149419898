#include "ccurl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
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

static curl_socket_t nls_open_socket(void *clientp, curlsocktype purpose,
                                     struct curl_sockaddr *address) {
    nls_probe_ctx *ctx = (nls_probe_ctx *)clientp;
    (void)purpose;
    int fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (fd < 0) {
        ctx->socket_errno = errno;
        return CURL_SOCKET_BAD;
    }
    if (ctx->bind_len > 0) {
        if (ctx->bind_addr.ss_family != address->family) {
            ctx->socket_errno = EAFNOSUPPORT;
            ctx->bind_failed = 1;
            close(fd);
            return CURL_SOCKET_BAD;
        }
        if (bind(fd, (struct sockaddr *)&ctx->bind_addr, ctx->bind_len) != 0) {
            ctx->socket_errno = errno;
            ctx->bind_failed = 1;
            close(fd);
            return CURL_SOCKET_BAD;
        }
    }
    ctx->fd = fd;
    return fd;
}

static size_t nls_stop_at_body(char *data, size_t size, size_t count, void *userdata) {
    (void)data;
    nls_probe_ctx *ctx = (nls_probe_ctx *)userdata;
    if (size * count > 0) {
        ctx->body_seen = 1;
    }
    return 0;
}

CURLcode nls_probe_install(CURL *easy, nls_probe_ctx *ctx) {
    ctx->fd = -1;
    ctx->socket_errno = 0;
    ctx->bind_failed = 0;
    ctx->body_seen = 0;
    ctx->error[0] = 0;
    CURLcode rc = curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, ctx->error);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, nls_open_socket);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, ctx);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, nls_stop_at_body);
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, CURLOPT_WRITEDATA, ctx);
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

void nls_tls_details(CURL *easy, char *version, size_t version_len, char *cipher,
                     size_t cipher_len, char *alpn, size_t alpn_len) {
    nls_copy(version, version_len, "", 0);
    nls_copy(cipher, cipher_len, "", 0);
    nls_copy(alpn, alpn_len, "", 0);
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || info == NULL ||
        info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL) {
        return;
    }
    SSL *ssl = (SSL *)info->internals;
    const char *v = SSL_get_version(ssl);
    if (v != NULL) nls_copy(version, version_len, v, strlen(v));
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    const char *cn = c != NULL ? SSL_CIPHER_standard_name(c) : NULL;
    if (cn != NULL) nls_copy(cipher, cipher_len, cn, strlen(cn));
    const unsigned char *proto = NULL;
    unsigned int proto_len = 0;
    SSL_get0_alpn_selected(ssl, &proto, &proto_len);
    if (proto != NULL) nls_copy(alpn, alpn_len, (const char *)proto, proto_len);
}
