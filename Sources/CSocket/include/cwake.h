#ifndef NLSPROBE_CWAKE_H
#define NLSPROBE_CWAKE_H

/* An engine loop's wake-up: an eventfd other threads signal and the loop polls beside its sockets
   (with or without libcurl loaded). */

/* A non-blocking, close-on-exec eventfd; -1 with errno set when it cannot be made. */
int nls_wake_open(void);
/* Makes the loop's next (or current) poll return: thread-safe. */
void nls_wake_signal(int fd);
/* Takes every signal waiting (after a poll saw the descriptor readable). */
void nls_wake_drain(int fd);

/* One descriptor to poll: the layout of struct pollfd and of libcurl's struct curl_waitfd. */
typedef struct nls_waitfd {
    int fd;
    short events;
    short revents;
} nls_waitfd;

/* Waits up to timeout_ms for any of waits' events (POLLIN, POLLOUT) and fills revents; returns
   poll()'s result (EINTR is a plain return, as with curl_multi_poll). */
int nls_wait(nls_waitfd *waits, unsigned int count, int timeout_ms);

/* poll()'s POLLIN and POLLOUT, which Swift reads from here. */
extern const short nls_poll_in;
extern const short nls_poll_out;

#endif
