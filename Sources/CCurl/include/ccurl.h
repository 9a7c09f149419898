#ifndef NLSPROBE_CCURL_H
#define NLSPROBE_CCURL_H

/* Calls go through the loaded library (curl_symbols.h), never to curl_* by name. */
#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>
#include <stddef.h>

#include "cpathtrace.h"
#include "csocket.h"
#include "cwake.h"

/* libcurl is loaded at first use, not linked (a run of plain TCP checks never needs it). Loads it
   once, thread-safe, with the OpenSSL functions the TLS callbacks use; 1 when loaded, else 0 with
   the reason (dlerror's text, or the function missing) in error. Every other function here needs
   a successful load first. */
#define NLS_CURL_LIBRARY "libcurl.so.4"
int nls_curl_load(char *error, size_t size);
/* Whether the library of that name loads with every function needed (it is closed again, and
   nothing is installed): for tests of the failure. */
int nls_curl_load_named(const char *library, char *error, size_t size);

/* libcurl's own functions the engine calls, through the loaded library. */
CURLcode nls_curl_global_init(long flags);
CURL *nls_curl_easy_init(void);
void nls_curl_easy_cleanup(CURL *easy);
const char *nls_curl_easy_strerror(CURLcode code);
CURLHcode nls_curl_easy_header(CURL *easy, const char *name, size_t index, unsigned int origin, int request,
                               struct curl_header **hout);
CURLM *nls_curl_multi_init(void);
CURLMcode nls_curl_multi_cleanup(CURLM *multi);
CURLMcode nls_curl_multi_add_handle(CURLM *multi, CURL *easy);
CURLMcode nls_curl_multi_remove_handle(CURLM *multi, CURL *easy);
CURLMcode nls_curl_multi_perform(CURLM *multi, int *running);
/* curl_multi_poll with the loop's own descriptors (nls_waitfd has curl_waitfd's layout). */
CURLMcode nls_curl_multi_poll(CURLM *multi, nls_waitfd *extra, unsigned int count, int timeout_ms, int *numfds);
CURLMsg *nls_curl_multi_info_read(CURLM *multi, int *remaining);
struct curl_slist *nls_curl_slist_append(struct curl_slist *list, const char *text);
void nls_curl_slist_free_all(struct curl_slist *list);

/* Typed wrappers over libcurl's variadic calls, which Swift cannot call directly. */
CURLcode nls_easy_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode nls_easy_setopt_string(CURL *easy, CURLoption option, const char *value);
CURLcode nls_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value);
CURLcode nls_easy_getinfo_long(CURL *easy, CURLINFO info, long *value);
CURLcode nls_easy_getinfo_offset(CURL *easy, CURLINFO info, curl_off_t *value);
CURLcode nls_easy_getinfo_string(CURL *easy, CURLINFO info, const char **value);
CURLMcode nls_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/* Macros Swift cannot import. */
static const unsigned long NLS_CURLAUTH_ANY = CURLAUTH_ANY;
static const unsigned int NLS_CURLH_CONNECT = CURLH_CONNECT;
static const unsigned int NLS_CURLH_HEADER = CURLH_HEADER;

/* CURLAUTH_* bits of CURLINFO_PROXYAUTH_AVAIL that reasons name. */
static const long NLS_CURLAUTH_BASIC = CURLAUTH_BASIC;
static const long NLS_CURLAUTH_DIGEST = CURLAUTH_DIGEST;
static const long NLS_CURLAUTH_NEGOTIATE = CURLAUTH_NEGOTIATE;
static const long NLS_CURLAUTH_NTLM = CURLAUTH_NTLM;
static const long NLS_CURLAUTH_BEARER = CURLAUTH_BEARER;

/* OpenSSL's certificate verification results (X509_V_ERR_* in openssl/x509_vfy.h) that reasons
   tell apart; ccurl.c checks at compile time that each equals OpenSSL's own. The header does not
   include OpenSSL, so Swift imports these names and nothing else of it. */
typedef enum nls_verify_error {
    NLS_X509_V_OK = 0,
    NLS_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT = 2,
    NLS_X509_V_ERR_CERT_NOT_YET_VALID = 9,
    NLS_X509_V_ERR_CERT_HAS_EXPIRED = 10,
    NLS_X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT = 18,
    NLS_X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN = 19,
    NLS_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20,
    NLS_X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21,
} nls_verify_error;

/* 1 when the linked libcurl has a TLS backend. */
int nls_curl_has_tls(void);

/* The most certificates of a presented chain that are recorded, leaf first. */
#define NLS_CHAIN_MAX 10
/* The room for a subject or issuer distinguished name (RFC 2253 text), terminator included. */
#define NLS_NAME_MAX 512

/* One presented certificate as the handshake callbacks record it. A name longer than its room is
   cut (at a UTF-8 character boundary) and flagged. */
typedef struct nls_certificate {
    char subject[NLS_NAME_MAX];
    char issuer[NLS_NAME_MAX];
    char not_before[24];        /* "2030-01-01T00:00:00Z", empty when unreadable */
    char not_after[24];
    char sha256[65];            /* lowercase hex of the DER encoding's SHA-256, empty when not computed */
    unsigned char subject_cut;  /* 1 when the subject did not fit and was cut */
    unsigned char issuer_cut;   /* 1 when the issuer did not fit and was cut */
} nls_certificate;

/* What one probe attempt needs beyond libcurl's own state: how its socket is bound and what the
   socket callback saw, libcurl's error text, and whether the first byte of a response body arrived
   (the transfer is stopped there: the headers prove the path). */
typedef struct nls_probe_ctx {
    nls_socket_binding binding;
    int body_seen;              /* 1 once a response body byte arrived */
    int pending_status;         /* the status of the answer whose header lines are arriving, 0 between answers */
    int ok_answer_ended;        /* 1 once an answer with a 2xx status has ended (its blank line came):
                                   for a tunnelled check, the proxy's complete yes to CONNECT */
    char error[CURL_ERROR_SIZE];
    /* TLS facts recorded by OpenSSL callbacks during the handshake, whatever its outcome. */
    char tls_version[32];
    char tls_cipher[96];
    char tls_alpn[32];
    int tls_verify_error;       /* first X509 verification error seen (nls_verify_error names some), 0 when none */
    /* The chain as presented, leaf first: tls_chain_count certificates (at most NLS_CHAIN_MAX) in an
       array the callbacks allocate, freed by nls_probe_release; tls_chain_presented counts every
       certificate the peer sent, so more than tls_chain_count means some were left out. */
    nls_certificate *tls_chain;
    int tls_chain_count;
    int tls_chain_presented;
    /* The first ICMP error queued on a socket libcurl closed (IP_RECVERR / IPV6_RECVERR are on from
       the socket's opening until its TCP handshake completes): who answered the SYN with it. For a
       proxied check the socket is the proxy's, so the error is about the path to the proxy. */
    nls_icmp_error icmp;
} nls_probe_ctx;

/* Sets the error buffer, the socket callbacks (opening turns IP_RECVERR on; closing reads the error
   queue into ctx->icmp), the header callback that follows answers as they end, the body-stopping
   write callback and the request callback; resets ctx's binding results, answer state and ICMP
   error. */
CURLcode nls_probe_install(CURL *easy, nls_probe_ctx *ctx);

/* Installs OpenSSL callbacks that record the presented chain, version, cipher and ALPN into
   ctx, also when verification fails. Call for TLS checks after nls_probe_install. */
CURLcode nls_probe_record_tls(CURL *easy, nls_probe_ctx *ctx);

/* The TCP handshake of ctx's socket completed: turns IP_RECVERR off again (when the socket is
   established), so that an ICMP error arriving on the open connection stays a soft error, as it is
   without IP_RECVERR, instead of ending the transfer. The TLS and request callbacks call it before
   the first byte leaves; the engine calls it when it sees the handshake done. */
void nls_probe_connected(nls_probe_ctx *ctx);

/* Frees what the callbacks allocated in ctx (the recorded chain); ctx itself is the caller's. */
void nls_probe_release(nls_probe_ctx *ctx);

#endif
