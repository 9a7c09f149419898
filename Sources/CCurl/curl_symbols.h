#ifndef NLSPROBE_CURL_SYMBOLS_H
#define NLSPROBE_CURL_SYMBOLS_H

/* libcurl, and the OpenSSL it links, are loaded at first use (nls_curl_load), not linked: a run of
   plain TCP checks never needs them, and loading them with their thirty-odd dependencies costs
   every start of the process about 7 ms. Every function the module calls is resolved once into
   nls_curl_symbols; C code calls it through NLS_FN(name). */

#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define NLS_CURL_FUNCTIONS(X) \
    X(curl_global_init) \
    X(curl_easy_init) \
    X(curl_easy_cleanup) \
    X(curl_easy_setopt) \
    X(curl_easy_getinfo) \
    X(curl_easy_strerror) \
    X(curl_easy_header) \
    X(curl_multi_init) \
    X(curl_multi_cleanup) \
    X(curl_multi_setopt) \
    X(curl_multi_add_handle) \
    X(curl_multi_remove_handle) \
    X(curl_multi_perform) \
    X(curl_multi_poll) \
    X(curl_multi_info_read) \
    X(curl_slist_append) \
    X(curl_slist_free_all) \
    X(curl_version_info)

/* OpenSSL's, as libcurl's own dependency resolves them (the same library instance libcurl uses).
   Macros of OpenSSL's headers are spelled out: BIO_ctrl for BIO_get_mem_data and BIO_reset,
   OPENSSL_sk_* for sk_X509_*, CRYPTO_get_ex_new_index for SSL_CTX_get_ex_new_index. */
#define NLS_SSL_FUNCTIONS(X) \
    X(ASN1_TIME_to_tm) \
    X(BIO_ctrl) \
    X(BIO_free) \
    X(BIO_new) \
    X(BIO_s_mem) \
    X(CRYPTO_get_ex_new_index) \
    X(EVP_sha256) \
    X(OPENSSL_sk_num) \
    X(OPENSSL_sk_value) \
    X(SSL_CIPHER_standard_name) \
    X(SSL_CTX_get_ex_data) \
    X(SSL_CTX_get_verify_mode) \
    X(SSL_CTX_set_ex_data) \
    X(SSL_CTX_set_info_callback) \
    X(SSL_CTX_set_verify) \
    X(SSL_get0_alpn_selected) \
    X(SSL_get_SSL_CTX) \
    X(SSL_get_current_cipher) \
    X(SSL_get_ex_data_X509_STORE_CTX_idx) \
    X(SSL_get_peer_cert_chain) \
    X(SSL_get_pending_cipher) \
    X(SSL_get_version) \
    X(X509_NAME_print_ex) \
    X(X509_STORE_CTX_get0_untrusted) \
    X(X509_STORE_CTX_get_error) \
    X(X509_STORE_CTX_get_ex_data) \
    X(X509_digest) \
    X(X509_get0_notAfter) \
    X(X509_get0_notBefore) \
    X(X509_get_issuer_name) \
    X(X509_get_subject_name)

/* One pointer per function, typed from the library's own declaration (so it cannot drift). */
#define NLS_SYMBOL_FIELD(name) __typeof__(name) *name;
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
