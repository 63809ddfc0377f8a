/* Test driver for the firmware's C crypto: reads requests from a byte stream and answers on another, so one
 * process (host) or one QEMU boot (board) checks thousands of cases. Request: an op byte, a u32 little-endian
 * length, then the data.
 *   'h' LEN MSG            -> 32-byte SHA-256 (the message is streamed, any length)
 *   'H' LEN MSG            -> 64-byte SHA-512
 *   'v' LEN PUB(32) SIG(64) MSG -> 1 byte: 1 valid, 0 refused   (MSG up to MAX_MESSAGE bytes)
 *   'q'                    -> ends the run with status 0 (end of input does the same on the host)
 * On the board each verification sits between the instruction-count markers. */
#include <stdint.h>

#include "ed25519-verify.h"
#include "sha256.h"
#include "sha512.h"

#ifdef CRYPTO_CHECK_HOST
#include <stdio.h>
#include <stdlib.h>
static int read_byte(void) { return getchar(); }
static void write_byte(uint8_t b) { putchar(b); }
static void flush_output(void) { fflush(stdout); }
#define TF_MARK_INVOKE_BEGIN() ((void)0)
#define TF_MARK_INVOKE_END() ((void)0)
#define TF_MARK_OP_END() ((void)0)
#else
#include "board.h"
#include "profile-markers.h"
static int read_byte(void) { return board_getc(); }
static void write_byte(uint8_t b) { board_putc(b); }
static void flush_output(void) {}
#endif

#define MAX_MESSAGE 65536u

static uint8_t message[MAX_MESSAGE];

static int read_exact(uint8_t *out, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) {
    int c = read_byte();
    if (c < 0) return -1;
    out[i] = (uint8_t)c;
  }
  return 0;
}

static int read_u32(uint32_t *v) {
  uint8_t b[4];
  if (read_exact(b, 4)) return -1;
  *v = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
  return 0;
}

static void write_all(const uint8_t *b, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) write_byte(b[i]);
}

int main(void) {
#ifndef CRYPTO_CHECK_HOST
  board_init();
#endif
  for (;;) {
    int op = read_byte();
    if (op < 0 || op == 'q') break;
    uint32_t len;
    if (read_u32(&len)) return 2;
    if (op == 'h' || op == 'H') {
      sha256_ctx c256;
      sha512_ctx c512;
      sha256_init(&c256);
      sha512_init(&c512);
      while (len > 0) {
        uint32_t n = len < 256u ? len : 256u;
        if (read_exact(message, n)) return 2;
        if (op == 'h') sha256_update(&c256, message, n);
        else sha512_update(&c512, message, n);
        len -= n;
      }
      uint8_t digest[64];
      if (op == 'h') {
        sha256_final(&c256, digest);
        write_all(digest, 32);
      } else {
        sha512_final(&c512, digest);
        write_all(digest, 64);
      }
    } else if (op == 'v') {
      uint8_t pub[32], sig[64];
      if (len > MAX_MESSAGE || read_exact(pub, 32) || read_exact(sig, 64) || read_exact(message, len)) return 2;
      TF_MARK_INVOKE_BEGIN();
      int result = ed25519_verify(sig, pub, message, len);
      TF_MARK_OP_END(); /* one "step": the plugin's log format wants at least one */
      TF_MARK_INVOKE_END();
      write_byte(result == 0 ? 1 : 0);
    } else {
      return 3;
    }
    flush_output();
  }
  flush_output();
  return 0;
}
