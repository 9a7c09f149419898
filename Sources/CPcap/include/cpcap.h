#ifndef NLSPROBE_CPCAP_H
#define NLSPROBE_CPCAP_H

/* libpcap, opened with dlopen at the first capture instead of linked: a run without --capture (and
   `nlsprobe --version`) starts without loading it and what it brings (libdbus, libsystemd). Its
   types and constants come from its header (libpcap-dev at build time); its functions are reached
   only through the nls_pcap_* forwarders below, each with the signature of the pcap_* function it
   calls. The program does not link libpcap, so calling a pcap_* function directly fails to link. */
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdio.h>

/* The libraries tried, in order: Debian's and Ubuntu's soname (package libpcap0.8, libpcap0.8t64
   since Debian 13 and Ubuntu 24.04), then upstream's (RHEL's libpcap). scripts/package-deb.sh
   reads NLS_PCAP_SONAME for the package's Depends. */
#define NLS_PCAP_SONAME "libpcap.so.0.8"
#define NLS_PCAP_SONAME_UPSTREAM "libpcap.so.1"

/* Opens libpcap and resolves every function the forwarders call, once per process (thread-safe;
   later calls give the first call's result). Returns 0, or -1 with why (dlerror's text, which names
   the library) in error, size bytes, terminated. Call it, and see 0, before any forwarder. */
int nls_pcap_load(char *error, size_t size);

/* Opens the library `name` as nls_pcap_load does and resolves every function into a table of its
   own, which no forwarder uses: 0 when it could serve (it stays open), else -1 with dlerror's text
   in error. For tests of the failure path. */
int nls_pcap_load_named(const char *name, char *error, size_t size);

/* Forwarders to libpcap's functions, valid once nls_pcap_load returned 0. */
pcap_t *nls_pcap_create(const char *source, char *errbuf);
int nls_pcap_set_snaplen(pcap_t *handle, int snaplen);
int nls_pcap_set_immediate_mode(pcap_t *handle, int immediate);
int nls_pcap_set_timeout(pcap_t *handle, int milliseconds);
int nls_pcap_set_buffer_size(pcap_t *handle, int bytes);
int nls_pcap_activate(pcap_t *handle);
char *nls_pcap_geterr(pcap_t *handle);
void nls_pcap_close(pcap_t *handle);
int nls_pcap_compile(
    pcap_t *handle, struct bpf_program *program, const char *filter, int optimize, bpf_u_int32 netmask);
int nls_pcap_setfilter(pcap_t *handle, struct bpf_program *program);
void nls_pcap_freecode(struct bpf_program *program);
int nls_pcap_setnonblock(pcap_t *handle, int nonblock, char *errbuf);
int nls_pcap_datalink(pcap_t *handle);
pcap_dumper_t *nls_pcap_dump_fopen(pcap_t *handle, FILE *file);
int nls_pcap_get_selectable_fd(pcap_t *handle);
int nls_pcap_dispatch(pcap_t *handle, int count, pcap_handler callback, u_char *user);
void nls_pcap_dump(u_char *dumper, const struct pcap_pkthdr *header, const u_char *bytes);
void nls_pcap_breakloop(pcap_t *handle);
int nls_pcap_dump_flush(pcap_dumper_t *dumper);
void nls_pcap_dump_close(pcap_dumper_t *dumper);

#endif
