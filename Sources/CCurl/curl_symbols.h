#ifndef NLSPROBE_CURL_SYMBOLS_H
#define NLSPROBE_CURL_SYMBOLS_H

/* libcurl, and the OpenSSL it links, are loaded at first use (nls_curl_load), not linked: a run of
   plain TCP checks never needs them, and loading them with their thirty-odd dependencies costs
   every start of the process about 7 ms. Every function the module calls is resolved once into
   nls_curl_symbols; C code calls it through NLS_FN(name). */

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define NLS_CURL_FUNCTIONS(X)                                                                         \
    X(CURLcode, curl_global_init, (long flags))                                                       \
    X(CURL *, curl_easy_init, (void))                                                                 \
    X(void, curl_easy_cleanup, (CURL * easy))                                                         \
    X(CURLcode, curl_easy_setopt, (CURL * easy, CURLoption option, ...))                             \
    X(CURLcode, curl_easy_getinfo, (CURL * easy, CURLINFO info, ...))                                \
    X(const char *, curl_easy_strerror, (CURLcode code))                                              \
    X(CURLHcode, curl_easy_header,                                                                    \
      (CURL * easy, const char *name, size_t index, unsigned int origin, int request,                 \
       struct curl_header **hout))                                                                    \
    X(CURLM *, curl_multi_init, (void))                                                               \
    X(CURLMcode, curl_multi_cleanup, (CURLM * multi))                                                 \
    X(CURLMcode, curl_multi_setopt, (CURLM * multi, CURLMoption option, ...))                        \
    X(CURLMcode, curl_multi_add_handle, (CURLM * multi, CURL * easy))                                 \
    X(CURLMcode, curl_multi_remove_handle, (CURLM * multi, CURL * easy))                              \
    X(CURLMcode, curl_multi_perform, (CURLM * multi, int *running))                                   \
    X(CURLMcode, curl_multi_poll,                                                                     \
      (CURLM * multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms, int *numfds))    \
    X(CURLMsg *, curl_multi_info_read, (CURLM * multi, int *remaining))                               \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist * list, const char *text))          \
    X(void, curl_slist_free_all, (struct curl_slist * list))                                          \
    X(curl_version_info_data *, curl_version_info, (CURLversion age))

/* OpenSSL's, as libcurl's own dependency resolves them (the same library instance libcurl uses).
   Macros of OpenSSL's headers are spelled out: BIO_ctrl for BIO_get_mem_data and BIO_reset,
   OPENSSL_sk_* for sk_X509_*, CRYPTO_get_ex_new_index for SSL_CTX_get_ex_new_index. */
#define NLS_SSL_FUNCTIONS(X)                                                                          \
    X(int, ASN1_TIME_to_tm, (const ASN1_TIME *time, struct tm *tm))                                   \
    X(long, BIO_ctrl, (BIO * bio, int command, long larg, void *parg))                                \
    X(int, BIO_free, (BIO * bio))                                                                     \
    X(BIO *, BIO_new, (const BIO_METHOD *type))                                                       \
    X(const BIO_METHOD *, BIO_s_mem, (void))                                                          \
    X(int, CRYPTO_get_ex_new_index,                                                                   \
      (int class_index, long argl, void *argp, CRYPTO_EX_new *new_func, CRYPTO_EX_dup *dup_func,      \
       CRYPTO_EX_free *free_func))                                                                    \
    X(const EVP_MD *, EVP_sha256, (void))                                                             \
    X(int, OPENSSL_sk_num, (const OPENSSL_STACK *stack))                                              \
    X(void *, OPENSSL_sk_value, (const OPENSSL_STACK *stack, int index))                              \
    X(const char *, SSL_CIPHER_standard_name, (const SSL_CIPHER *cipher))                             \
    X(void *, SSL_CTX_get_ex_data, (const SSL_CTX *ctx, int index))                                   \
    X(int, SSL_CTX_get_verify_mode, (const SSL_CTX *ctx))                                             \
    X(int, SSL_CTX_set_ex_data, (SSL_CTX * ctx, int index, void *data))                               \
    X(void, SSL_CTX_set_info_callback, (SSL_CTX * ctx, void (*callback)(const SSL *, int, int)))      \
    X(void, SSL_CTX_set_verify, (SSL_CTX * ctx, int mode, SSL_verify_cb callback))                    \
    X(void, SSL_get0_alpn_selected, (const SSL *ssl, const unsigned char **data, unsigned int *len)) \
    X(SSL_CTX *, SSL_get_SSL_CTX, (const SSL *ssl))                                                   \
    X(const SSL_CIPHER *, SSL_get_current_cipher, (const SSL *ssl))                                   \
    X(int, SSL_get_ex_data_X509_STORE_CTX_idx, (void))                                                \
    X(STACK_OF(X509) *, SSL_get_peer_cert_chain, (const SSL *ssl))                                    \
    X(const SSL_CIPHER *, SSL_get_pending_cipher, (const SSL *ssl))                                   \
    X(const char *, SSL_get_version, (const SSL *ssl))                                                \
    X(int, X509_NAME_print_ex, (BIO * out, const X509_NAME *name, int indent, unsigned long flags))   \
    X(STACK_OF(X509) *, X509_STORE_CTX_get0_untrusted, (const X509_STORE_CTX *ctx))                   \
    X(int, X509_STORE_CTX_get_error, (const X509_STORE_CTX *ctx))                                     \
    X(void *, X509_STORE_CTX_get_ex_data, (const X509_STORE_CTX *ctx, int index))                     \
    X(int, X509_digest, (const X509 *cert, const EVP_MD *type, unsigned char *md, unsigned int *len)) \
    X(const ASN1_TIME *, X509_get0_notAfter, (const X509 *cert))                                      \
    X(const ASN1_TIME *, X509_get0_notBefore, (const X509 *cert))                                     \
    X(X509_NAME *, X509_get_issuer_name, (const X509 *cert))                                          \
    X(X509_NAME *, X509_get_subject_name, (const X509 *cert))

#define NLS_SYMBOL_FIELD(ret, name, params) ret(*name) params;
typedef struct nls_curl_symbol_table {
    NLS_CURL_FUNCTIONS(NLS_SYMBOL_FIELD)
    NLS_SSL_FUNCTIONS(NLS_SYMBOL_FIELD)
} nls_curl_symbol_table;
#undef NLS_SYMBOL_FIELD

/* Filled by nls_curl_load; read only after it returned 1. */
extern nls_curl_symbol_table nls_curl_symbols;

/* A loaded library function: NLS_FN(curl_easy_setopt)(easy, option, value). */
#define NLS_FN(name) (nls_curl_symbols.name)

#endif
