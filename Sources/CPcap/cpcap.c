#include "cpcap.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

/* Every libpcap function the forwarders call, one per line (scripts/package-deb.sh reads these
   lines for the lowest libpcap version that has them all). */
#define NLS_PCAP_FUNCTIONS(X) \
    X(pcap_create) \
    X(pcap_set_snaplen) \
    X(pcap_set_immediate_mode) \
    X(pcap_set_timeout) \
    X(pcap_set_buffer_size) \
    X(pcap_activate) \
    X(pcap_geterr) \
    X(pcap_close) \
    X(pcap_compile) \
    X(pcap_setfilter) \
    X(pcap_freecode) \
    X(pcap_setnonblock) \
    X(pcap_datalink) \
    X(pcap_dump_fopen) \
    X(pcap_get_selectable_fd) \
    X(pcap_dispatch) \
    X(pcap_dump) \
    X(pcap_breakloop) \
    X(pcap_dump_flush) \
    X(pcap_dump_close)

/* One pointer per function, typed from libpcap's own declaration. */
typedef struct nls_pcap_table {
#define NLS_PCAP_FIELD(name) __typeof__(name) *name;
    NLS_PCAP_FUNCTIONS(NLS_PCAP_FIELD)
#undef NLS_PCAP_FIELD
} nls_pcap_table;

static nls_pcap_table loaded;
static int load_status = -1;
static char load_error[1024];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void copy_text(char *to, size_t size, const char *text) {
    if (to == NULL || size == 0) return;
    snprintf(to, size, "%s", text != NULL ? text : "unknown error");
}

/* Opens `name` and fills `table`; on failure closes what it opened and leaves dlerror's text in error. */
static int open_library(const char *name, nls_pcap_table *table, char *error, size_t size) {
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        copy_text(error, size, dlerror());
        return -1;
    }
#define NLS_PCAP_RESOLVE(name)                                    \
    table->name = (__typeof__(table->name))dlsym(library, #name); \
    if (table->name == NULL) {                                    \
        copy_text(error, size, dlerror());                        \
        dlclose(library);                                         \
        return -1;                                                \
    }
    NLS_PCAP_FUNCTIONS(NLS_PCAP_RESOLVE)
#undef NLS_PCAP_RESOLVE
    return 0;
}

static void load_library(void) {
    char first[sizeof load_error / 2];
    char second[sizeof load_error / 2];
    if (open_library(NLS_PCAP_SONAME, &loaded, first, sizeof first) == 0 ||
        open_library(NLS_PCAP_SONAME_UPSTREAM, &loaded, second, sizeof second) == 0) {
        load_status = 0;
        return;
    }
    snprintf(load_error, sizeof load_error, "%s; %s", first, second);
}

int nls_pcap_load(char *error, size_t size) {
    pthread_once(&load_once, load_library);
    if (load_status != 0) copy_text(error, size, load_error);
    return load_status;
}

int nls_pcap_load_named(const char *name, char *error, size_t size) {
    nls_pcap_table table;
    return open_library(name, &table, error, size);
}

pcap_t *nls_pcap_create(const char *source, char *errbuf) { return loaded.pcap_create(source, errbuf); }

int nls_pcap_set_snaplen(pcap_t *handle, int snaplen) { return loaded.pcap_set_snaplen(handle, snaplen); }

int nls_pcap_set_immediate_mode(pcap_t *handle, int immediate) {
    return loaded.pcap_set_immediate_mode(handle, immediate);
}

int nls_pcap_set_timeout(pcap_t *handle, int milliseconds) { return loaded.pcap_set_timeout(handle, milliseconds); }

int nls_pcap_set_buffer_size(pcap_t *handle, int bytes) { return loaded.pcap_set_buffer_size(handle, bytes); }

int nls_pcap_activate(pcap_t *handle) { return loaded.pcap_activate(handle); }

char *nls_pcap_geterr(pcap_t *handle) { return loaded.pcap_geterr(handle); }

void nls_pcap_close(pcap_t *handle) { loaded.pcap_close(handle); }

int nls_pcap_compile(
    pcap_t *handle, struct bpf_program *program, const char *filter, int optimize, bpf_u_int32 netmask) {
    return loaded.pcap_compile(handle, program, filter, optimize, netmask);
}

int nls_pcap_setfilter(pcap_t *handle, struct bpf_program *program) { return loaded.pcap_setfilter(handle, program); }

void nls_pcap_freecode(struct bpf_program *program) { loaded.pcap_freecode(program); }

int nls_pcap_setnonblock(pcap_t *handle, int nonblock, char *errbuf) {
    return loaded.pcap_setnonblock(handle, nonblock, errbuf);
}

int nls_pcap_datalink(pcap_t *handle) { return loaded.pcap_datalink(handle); }

pcap_dumper_t *nls_pcap_dump_fopen(pcap_t *handle, FILE *file) { return loaded.pcap_dump_fopen(handle, file); }

int nls_pcap_get_selectable_fd(pcap_t *handle) { return loaded.pcap_get_selectable_fd(handle); }

int nls_pcap_dispatch(pcap_t *handle, int count, pcap_handler callback, u_char *user) {
    return loaded.pcap_dispatch(handle, count, callback, user);
}

void nls_pcap_dump(u_char *dumper, const struct pcap_pkthdr *header, const u_char *bytes) {
    loaded.pcap_dump(dumper, header, bytes);
}

void nls_pcap_breakloop(pcap_t *handle) { loaded.pcap_breakloop(handle); }

int nls_pcap_dump_flush(pcap_dumper_t *dumper) { return loaded.pcap_dump_flush(dumper); }

void nls_pcap_dump_close(pcap_dumper_t *dumper) { loaded.pcap_dump_close(dumper); }
