#include "curl_symbols.h"

#include <dlfcn.h>
#include <poll.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ccurl.h"

nls_curl_symbol_table nls_curl_symbols;

/* The outcome of the one load: 1 loaded, 0 failed (with the reason in load_error). */
static int load_result;
static char load_error[512];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static int nls_curl_open(const char *library, int install, char *error, size_t size) {
    /* RTLD_LOCAL: libcurl's and OpenSSL's symbols stay out of the process's global scope; dlsym on
       libcurl's handle searches libcurl, then its dependencies, so OpenSSL's functions are those
       of the libssl libcurl itself uses. RTLD_NOW: a missing symbol fails here, not mid-run. */
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(error, size, "%s", reason != NULL ? reason : library);
        return 0;
    }
    nls_curl_symbol_table table;
    memset(&table, 0, sizeof(table));
    const char *missing = NULL;
#define NLS_RESOLVE(name)                                          \
    if (missing == NULL) {                                                      \
        *(void **)(&table.name) = dlsym(handle, #name);                         \
        if (table.name == NULL) missing = #name;                                \
    }
    NLS_CURL_FUNCTIONS(NLS_RESOLVE)
    NLS_SSL_FUNCTIONS(NLS_RESOLVE)
#undef NLS_RESOLVE
    if (missing != NULL) {
        snprintf(error, size, "%s has no %s (a libcurl 7.83 or later built with OpenSSL 3 is needed)", library,
                 missing);
        dlclose(handle);
        return 0;
    }
    if (!install) {
        dlclose(handle);
        return 1;
    }
    nls_curl_symbols = table;
    return 1;
}

static void nls_curl_load_once(void) {
    load_result = nls_curl_open(NLS_CURL_LIBRARY, 1, load_error, sizeof(load_error));
}

int nls_curl_load_named(const char *library, char *error, size_t size) {
    return nls_curl_open(library, 0, error, size);
}

int nls_curl_load(char *error, size_t size) {
    pthread_once(&load_once, nls_curl_load_once);
    if (!load_result && error != NULL && size > 0) snprintf(error, size, "%s", load_error);
    return load_result;
}

/* Forwarders for Swift: the library's own functions, once loaded. */

CURLcode nls_curl_global_init(long flags) { return NLS_FN(curl_global_init)(flags); }
CURL *nls_curl_easy_init(void) { return NLS_FN(curl_easy_init)(); }
void nls_curl_easy_cleanup(CURL *easy) { NLS_FN(curl_easy_cleanup)(easy); }
const char *nls_curl_easy_strerror(CURLcode code) { return NLS_FN(curl_easy_strerror)(code); }

CURLHcode nls_curl_easy_header(CURL *easy, const char *name, size_t index, unsigned int origin, int request,
                               struct curl_header **hout) {
    return NLS_FN(curl_easy_header)(easy, name, index, origin, request, hout);
}

CURLM *nls_curl_multi_init(void) { return NLS_FN(curl_multi_init)(); }
CURLMcode nls_curl_multi_cleanup(CURLM *multi) { return NLS_FN(curl_multi_cleanup)(multi); }
CURLMcode nls_curl_multi_add_handle(CURLM *multi, CURL *easy) { return NLS_FN(curl_multi_add_handle)(multi, easy); }

CURLMcode nls_curl_multi_remove_handle(CURLM *multi, CURL *easy) {
    return NLS_FN(curl_multi_remove_handle)(multi, easy);
}

CURLMcode nls_curl_multi_perform(CURLM *multi, int *running) { return NLS_FN(curl_multi_perform)(multi, running); }

_Static_assert(sizeof(nls_waitfd) == sizeof(struct curl_waitfd), "nls_waitfd is a curl_waitfd");
_Static_assert(CURL_WAIT_POLLIN == POLLIN && CURL_WAIT_POLLOUT == POLLOUT, "poll's events are libcurl's");
_Static_assert(offsetof(nls_waitfd, revents) == offsetof(struct curl_waitfd, revents), "revents");

CURLMcode nls_curl_multi_poll(CURLM *multi, nls_waitfd *extra, unsigned int count, int timeout_ms, int *numfds) {
    return NLS_FN(curl_multi_poll)(multi, (struct curl_waitfd *)extra, count, timeout_ms, numfds);
}

CURLMsg *nls_curl_multi_info_read(CURLM *multi, int *remaining) {
    return NLS_FN(curl_multi_info_read)(multi, remaining);
}

struct curl_slist *nls_curl_slist_append(struct curl_slist *list, const char *text) {
    return NLS_FN(curl_slist_append)(list, text);
}

void nls_curl_slist_free_all(struct curl_slist *list) { NLS_FN(curl_slist_free_all)(list); }
