#ifndef NLSPROBE_CPCAP_SHIM_H
#define NLSPROBE_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
