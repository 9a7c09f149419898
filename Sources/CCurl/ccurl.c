#include "ccurl.h"

#include "curl_symbols.h"

#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

/* The verification results the header names are OpenSSL's own. */
_Static_assert(NLS_X509_V_OK == X509_V_OK, "X509_V_OK");
_Static_assert(NLS_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, "issuer");
_Static_assert(NLS_X509_V_ERR_CERT_NOT_YET_VALID == X509_V_ERR_CERT_NOT_YET_VALID, "not yet valid");
_Static_assert(NLS_X509_V_ERR_CERT_HAS_EXPIRED == X509_V_ERR_CERT_HAS_EXPIRED, "expired");
_Static_assert(NLS_X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "self-signed");
_Static_assert(NLS_X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, "root");
_Static_assert(
    NLS_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "local issuer");
_Static_assert(
    NLS_X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, "leaf signature");

CURLcode nls_easy_setopt_long(CURL *easy, CURLoption option, long value) {
    return NLS_FN(curl_easy_setopt)(easy, option, value);
}

CURLcode nls_easy_setopt_string(CURL *easy, CURLoption option, const char *value) {
    return NLS_FN(curl_easy_setopt)(easy, option, value);
}

CURLcode nls_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value) {
    return NLS_FN(curl_easy_setopt)(easy, option, value);
}

CURLcode nls_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) {
    return NLS_FN(curl_easy_getinfo)(easy, info, value);
}

CURLcode nls_easy_getinfo_offset(CURL *easy, CURLINFO info, curl_off_t *value) {
    return NLS_FN(curl_easy_getinfo)(easy, info, value);
}

CURLcode nls_easy_getinfo_string(CURL *easy, CURLINFO info, const char **value) {
    return NLS_FN(curl_easy_getinfo)(easy, info, value);
}

CURLMcode nls_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return NLS_FN(curl_multi_setopt)(multi, option, value);
}

int nls_curl_has_tls(void) {
    curl_version_info_data *info = NLS_FN(curl_version_info)(CURLVERSION_NOW);
    return info != NULL && info->ssl_version != NULL && (info->features & CURL_VERSION_SSL) != 0;
}

static curl_socket_t nls_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)purpose;
    nls_probe_ctx *ctx = (nls_probe_ctx *)clientp;
    int fd = nls_socket_open_bound(&ctx->binding, address->family, address->socktype, address->protocol, 0);
    if (fd < 0) return CURL_SOCKET_BAD;
    /* An ICMP error answering the SYN is queued with its sender, read when libcurl closes the socket.
       The connect fails on it as it would without (in SYN-SENT an ICMP unreachable is a hard error
       either way); once connected, nls_probe_connected turns it off again. */
    if (address->socktype == SOCK_STREAM) (void)nls_socket_enable_recverr(fd, address->family);
    return fd;
}

/* libcurl closes a socket: a connect that failed on an ICMP error has it queued. The first one
   read is kept (libcurl may try more than one address). ctx outlives every call: the engine never
   lets libcurl keep a connection past its handle (FORBID_REUSE, MAXCONNECTS 0, and libcurl closes a
   CONNECT_ONLY connection in curl_multi_remove_handle), and frees ctx after curl_easy_cleanup. */
static int nls_close_socket(void *clientp, curl_socket_t fd) {
    nls_probe_ctx *ctx = (nls_probe_ctx *)clientp;
    if (!ctx->icmp.present) {
        nls_icmp_error queued;
        if (nls_socket_read_icmp_error(fd, &queued) == 1) ctx->icmp = queued;
    }
    if (ctx->binding.fd == fd) ctx->binding.fd = -1;
    return close(fd);
}

void nls_probe_connected(nls_probe_ctx *ctx) {
    int fd = ctx->binding.fd;
    if (fd >= 0 && nls_tcp_state(fd) == TCP_ESTABLISHED) (void)nls_socket_disable_recverr(fd);
}

/* Called once the connection is up, before the request leaves (plain HTTP: right after the TCP
   handshake). */
static int nls_request_ready(void *clientp, char *primary_ip, char *local_ip, int primary_port, int local_port) {
    (void)primary_ip;
    (void)local_ip;
    (void)primary_port;
    (void)local_port;
    nls_probe_connected((nls_probe_ctx *)clientp);
    return CURL_PREREQFUNC_OK;
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
    nls_socket_binding_reset(&ctx->binding);
    ctx->body_seen = 0;
    ctx->pending_status = 0;
    ctx->ok_answer_ended = 0;
    ctx->error[0] = 0;
    memset(&ctx->icmp, 0, sizeof(ctx->icmp));
    ctx->icmp.ttl = -1;
    CURLcode rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_ERRORBUFFER, ctx->error);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_OPENSOCKETFUNCTION, nls_open_socket);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_OPENSOCKETDATA, ctx);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_CLOSESOCKETFUNCTION, nls_close_socket);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_CLOSESOCKETDATA, ctx);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_PREREQFUNCTION, nls_request_ready);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_PREREQDATA, ctx);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_WRITEFUNCTION, nls_stop_at_body);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_WRITEDATA, ctx);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_HEADERFUNCTION, nls_header_seen);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_HEADERDATA, ctx);
    return rc;
}

static void nls_copy(char *dst, size_t len, const char *src, size_t src_len) {
    if (len == 0) return;
    size_t n = src_len < len - 1 ? src_len : len - 1;
    if (src != NULL && n > 0) memcpy(dst, src, n);
    dst[src != NULL ? n : 0] = 0;
}

static int nls_ex_index(void) {
    static int index = -2;
    if (index == -2) index = NLS_FN(CRYPTO_get_ex_new_index)(CRYPTO_EX_INDEX_SSL_CTX, 0, NULL, NULL, NULL, NULL);
    return index;
}

static nls_probe_ctx *nls_ctx_of(const SSL *ssl) {
    SSL_CTX *sctx = ssl != NULL ? NLS_FN(SSL_get_SSL_CTX)(ssl) : NULL;
    int index = nls_ex_index();
    return sctx != NULL && index >= 0 ? (nls_probe_ctx *)NLS_FN(SSL_CTX_get_ex_data)(sctx, index) : NULL;
}

static void nls_record_session(const SSL *ssl, nls_probe_ctx *ctx) {
    const char *v = NLS_FN(SSL_get_version)(ssl);
    if (v != NULL) nls_copy(ctx->tls_version, sizeof(ctx->tls_version), v, strlen(v));
    const SSL_CIPHER *c = NLS_FN(SSL_get_current_cipher)(ssl);
    if (c == NULL) c = NLS_FN(SSL_get_pending_cipher)(ssl);
    const char *cn = c != NULL ? NLS_FN(SSL_CIPHER_standard_name)(c) : NULL;
    if (cn != NULL) nls_copy(ctx->tls_cipher, sizeof(ctx->tls_cipher), cn, strlen(cn));
    const unsigned char *proto = NULL;
    unsigned int proto_len = 0;
    NLS_FN(SSL_get0_alpn_selected)(ssl, &proto, &proto_len);
    if (proto != NULL) nls_copy(ctx->tls_alpn, sizeof(ctx->tls_alpn), (const char *)proto, proto_len);
}

/* Copies a memory BIO's text into `dst` (room for `len` bytes with the terminator) and empties the
   BIO; tabs and newlines become spaces. Returns 1 when the text did not fit and was cut at a UTF-8
   character boundary, else 0. */
static int nls_take_bio(char *dst, size_t len, BIO *bio) {
    char *data = NULL;
    long available = NLS_FN(BIO_ctrl)(bio, BIO_CTRL_INFO, 0, (char *)&data); /* BIO_get_mem_data */
    size_t n = available > 0 ? (size_t)available : 0;
    int cut = 0;
    if (n > len - 1) {
        n = len - 1;
        while (n > 0 && ((unsigned char)data[n] & 0xC0) == 0x80) n--;
        cut = 1;
    }
    if (n > 0) memcpy(dst, data, n);
    dst[n] = 0;
    for (size_t i = 0; i < n; i++) {
        if (dst[i] == '\t' || dst[i] == '\n') dst[i] = ' ';
    }
    (void)NLS_FN(BIO_ctrl)(bio, BIO_CTRL_RESET, 0, NULL); /* BIO_reset */
    return cut;
}

static void nls_format_time(char *dst, size_t len, const ASN1_TIME *time) {
    struct tm tm;
    dst[0] = 0;
    if (time != NULL && NLS_FN(ASN1_TIME_to_tm)(time, &tm) == 1) {
        strftime(dst, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
}

static void nls_record_certificate(X509 *cert, BIO *bio, nls_certificate *out) {
    NLS_FN(X509_NAME_print_ex)(bio, NLS_FN(X509_get_subject_name)(cert), 0, XN_FLAG_RFC2253);
    out->subject_cut = (unsigned char)nls_take_bio(out->subject, sizeof(out->subject), bio);
    NLS_FN(X509_NAME_print_ex)(bio, NLS_FN(X509_get_issuer_name)(cert), 0, XN_FLAG_RFC2253);
    out->issuer_cut = (unsigned char)nls_take_bio(out->issuer, sizeof(out->issuer), bio);
    nls_format_time(out->not_before, sizeof(out->not_before), NLS_FN(X509_get0_notBefore)(cert));
    nls_format_time(out->not_after, sizeof(out->not_after), NLS_FN(X509_get0_notAfter)(cert));
    out->sha256[0] = 0;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (NLS_FN(X509_digest)(cert, NLS_FN(EVP_sha256)(), digest, &digest_len) == 1 && 2 * digest_len < sizeof(out->sha256)) {
        for (unsigned int j = 0; j < digest_len; j++) snprintf(out->sha256 + 2 * j, 3, "%02x", digest[j]);
    }
}

/* Records up to NLS_CHAIN_MAX certificates of the chain, and how many were presented. */
static void nls_record_chain(STACK_OF(X509) *chain, nls_probe_ctx *ctx) {
    int count = NLS_FN(OPENSSL_sk_num)((const OPENSSL_STACK *)chain); /* sk_X509_num */
    if (count <= 0) return;
    int kept = count < NLS_CHAIN_MAX ? count : NLS_CHAIN_MAX;
    BIO *bio = NLS_FN(BIO_new)(NLS_FN(BIO_s_mem)());
    if (bio == NULL) return;
    nls_certificate *certificates = calloc((size_t)kept, sizeof(nls_certificate));
    if (certificates == NULL) {
        NLS_FN(BIO_free)(bio);
        return;
    }
    for (int i = 0; i < kept; i++) nls_record_certificate((X509 *)NLS_FN(OPENSSL_sk_value)((const OPENSSL_STACK *)chain, i), bio, &certificates[i]);
    NLS_FN(BIO_free)(bio);
    free(ctx->tls_chain);
    ctx->tls_chain = certificates;
    ctx->tls_chain_count = kept;
    ctx->tls_chain_presented = count;
}

static int nls_verify(int preverify_ok, X509_STORE_CTX *store) {
    SSL *ssl = NLS_FN(X509_STORE_CTX_get_ex_data)(store, NLS_FN(SSL_get_ex_data_X509_STORE_CTX_idx)());
    nls_probe_ctx *ctx = nls_ctx_of(ssl);
    if (ctx != NULL) {
        if (ctx->tls_chain_count == 0) {
            STACK_OF(X509) *presented = NLS_FN(SSL_get_peer_cert_chain)(ssl);
            if (presented == NULL) presented = NLS_FN(X509_STORE_CTX_get0_untrusted)(store);
            if (presented != NULL) nls_record_chain(presented, ctx);
            nls_record_session(ssl, ctx);
        }
        if (!preverify_ok && ctx->tls_verify_error == 0) {
            ctx->tls_verify_error = NLS_FN(X509_STORE_CTX_get_error)(store);
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
    if (ctx->tls_chain_count == 0) {
        STACK_OF(X509) *presented = NLS_FN(SSL_get_peer_cert_chain)(ssl);
        if (presented != NULL) nls_record_chain(presented, ctx);
    }
}

static CURLcode nls_ssl_ctx(CURL *easy, void *ssl_ctx, void *userptr) {
    (void)easy;
    /* The TCP connection under the handshake is up: before the ClientHello leaves. */
    nls_probe_connected((nls_probe_ctx *)userptr);
    SSL_CTX *sctx = (SSL_CTX *)ssl_ctx;
    int index = nls_ex_index();
    if (index < 0 || NLS_FN(SSL_CTX_set_ex_data)(sctx, index, userptr) != 1) return CURLE_OK;
    NLS_FN(SSL_CTX_set_verify)(sctx, NLS_FN(SSL_CTX_get_verify_mode)(sctx), nls_verify);
    NLS_FN(SSL_CTX_set_info_callback)(sctx, nls_info);
    return CURLE_OK;
}

CURLcode nls_probe_record_tls(CURL *easy, nls_probe_ctx *ctx) {
    ctx->tls_version[0] = 0;
    ctx->tls_cipher[0] = 0;
    ctx->tls_alpn[0] = 0;
    free(ctx->tls_chain);
    ctx->tls_chain = NULL;
    ctx->tls_chain_count = 0;
    ctx->tls_chain_presented = 0;
    ctx->tls_verify_error = 0;
    CURLcode rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_SSL_CTX_FUNCTION, nls_ssl_ctx);
    if (rc == CURLE_OK) rc = NLS_FN(curl_easy_setopt)(easy, CURLOPT_SSL_CTX_DATA, ctx);
    return rc;
}

void nls_probe_release(nls_probe_ctx *ctx) {
    free(ctx->tls_chain);
    ctx->tls_chain = NULL;
    ctx->tls_chain_count = 0;
}
