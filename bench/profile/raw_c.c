// Sequential SET+GET floor in C: blocking send/recv on one TCP socket, no event loop.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static double cpu(void) { struct rusage u; getrusage(RUSAGE_SELF, &u); return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6; }
int main(int argc, char **argv) {
  int port = atoi(argv[1]), pairs = argc > 2 ? atoi(argv[2]) : 5000, rounds = argc > 3 ? atoi(argv[3]) : 9;
  int fd = socket(AF_INET, SOCK_STREAM, 0); int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(port); inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (connect(fd, (struct sockaddr *)&a, sizeof a)) { perror("connect"); return 1; }
  char set[256], get[64], buf[4096]; char v[101]; memset(v, 'v', 100); v[100] = 0;
  int sl = sprintf(set, "*3\r\n$3\r\nSET\r\n$7\r\nseq:raw\r\n$100\r\n%s\r\n", v), gl = sprintf(get, "*2\r\n$3\r\nGET\r\n$7\r\nseq:raw\r\n");
  double rates[100], cpus[100];
  for (int r = -1; r < rounds; r++) {
    double t0 = now(), c0 = cpu();
    for (int i = 0; i < pairs; i++) {
      send(fd, set, sl, 0); int got = 0; while (got < 5) got += recv(fd, buf + got, sizeof buf - got, 0);
      send(fd, get, gl, 0); got = 0; while (got < 108) got += recv(fd, buf + got, sizeof buf - got, 0);
    }
    if (r >= 0) { rates[r] = pairs / (now() - t0); cpus[r] = (cpu() - c0) * 1e6 / pairs; }
  }
  for (int i = 0; i < rounds; i++) for (int j = i + 1; j < rounds; j++) { if (rates[j] < rates[i]) { double t = rates[i]; rates[i] = rates[j]; rates[j] = t; } if (cpus[j] < cpus[i]) { double t = cpus[i]; cpus[i] = cpus[j]; cpus[j] = t; } }
  printf("sequential SET+GET raw C pairs/s: median %.0f\nsequential SET+GET raw C client CPU us per pair: median %.1f\n", rates[rounds / 2], cpus[rounds / 2]);
  return 0;
}
