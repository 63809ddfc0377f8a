/* The framed serial protocol between a host and the firmware (the host side is targets/qemu/serial-frames.ts).
 *
 *   request:  'T' 'F' 'Q' cmd    len:u32le payload[len] crc:u32le
 *   response: 'T' 'F' 'R' status len:u32le payload[len] crc:u32le
 *
 * crc is CRC-32 (IEEE, as zlib) over cmd|status, the four length bytes and the payload.
 * Bytes before a "TFQ" sync are skipped, so boot text and line noise cannot desynchronize it. */
#ifndef TF_SERIAL_PROTOCOL_H
#define TF_SERIAL_PROTOCOL_H

#include <stdint.h>

#include "crc32.h"

enum {
  TF_CMD_INFO = 'M',   /* → u32 input bytes, u32 output bytes, u32 arena bytes, model name */
  TF_CMD_INVOKE = 'I', /* input tensor → u32 cycles, u32 stack bytes used, output tensor */
  TF_CMD_QUIT = 'Q',   /* u8 exit code → empty answer, then the board exits */
};

enum {
  TF_STATUS_OK = 0,
  TF_STATUS_BAD_CRC = 1,
  TF_STATUS_BAD_LENGTH = 2,
  TF_STATUS_UNKNOWN_COMMAND = 3,
};

/* Reads one request into payload (capacity bytes; longer payloads are drained and reported via *len).
 * Returns the command byte; *crc_ok tells whether the checksum matched. */
uint8_t tf_read_request(uint8_t *payload, uint32_t capacity, uint32_t *len, int *crc_ok);

/* Sends a response whose payload is the concatenation of two parts (either may be empty). */
void tf_send_response(uint8_t status, const uint8_t *a, uint32_t a_len, const uint8_t *b, uint32_t b_len);

#endif
