#include "cwake.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

_Static_assert(sizeof(nls_waitfd) == sizeof(struct pollfd), "nls_waitfd is a struct pollfd");
_Static_assert(offsetof(nls_waitfd, revents) == offsetof(struct pollfd, revents), "revents");

const short nls_poll_in = POLLIN;
const short nls_poll_out = POLLOUT;

int nls_wake_open(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

void nls_wake_signal(int fd) {
    uint64_t one = 1;
    /* Only EAGAIN can fail here (the counter at its maximum): the loop is woken already. */
    while (write(fd, &one, sizeof(one)) < 0 && errno == EINTR) {
    }
}

void nls_wake_drain(int fd) {
    uint64_t count;
    while (read(fd, &count, sizeof(count)) < 0 && errno == EINTR) {
    }
}

int nls_wait(nls_waitfd *waits, unsigned int count, int timeout_ms) {
    return poll((struct pollfd *)waits, (nfds_t)count, timeout_ms);
}
