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
  TF_CMD_STATS = 'S',  /* u8 flags (bit 0: reset after reading) → the input-stats record (input-stats.h) */
  /* Model updates (slot firmware, update/update-service.c; host: targets/update/update-protocol.ts). Every
   * answer's payload starts with the command byte it answers, then what is listed here. */
  TF_CMD_UPDATE_BEGIN = 'B',  /* .tfu header (128 B) → u32 bytes of this update the device holds, u32 largest chunk */
  TF_CMD_UPDATE_DATA = 'D',   /* u32 .tfu offset, bytes → u32 bytes held (an offset other than that: OUT_OF_ORDER) */
  TF_CMD_UPDATE_END = 'E',    /* → empty: verified in flash and pending; the next boot tries it */
  TF_CMD_STATUS = 'U',        /* → slots and transfer state (update-service.c) */
  TF_CMD_REBOOT = 'R',        /* → empty answer, then the board resets */
};

enum {
  TF_STATUS_OK = 0,
  TF_STATUS_BAD_CRC = 1,
  TF_STATUS_BAD_LENGTH = 2,
  TF_STATUS_UNKNOWN_COMMAND = 3,
  /* Update refusals: the model-slots.c reasons, then the service's own. */
  TF_STATUS_UPDATE_BAD_HEADER = 0x10,
  TF_STATUS_UPDATE_TOO_LARGE = 0x11,
  TF_STATUS_UPDATE_BAD_SIGNATURE = 0x12,
  TF_STATUS_UPDATE_NOT_NEWER = 0x13,
  TF_STATUS_UPDATE_TRUNCATED = 0x14,
  TF_STATUS_UPDATE_BAD_HASH = 0x15,
  TF_STATUS_UPDATE_FLASH_ERROR = 0x16,
  TF_STATUS_UPDATE_NO_KEY = 0x17,          /* the firmware was built without a public key (build --pub) */
  TF_STATUS_UPDATE_NO_FLASH_DRIVER = 0x18, /* this board has no slot flash driver yet */
  TF_STATUS_UPDATE_NOT_STARTED = 0x19,     /* DATA or END without a BEGIN */
  TF_STATUS_UPDATE_OUT_OF_ORDER = 0x1A,    /* DATA at another offset than the bytes held */
};

/* Reads one request into payload (capacity bytes; longer payloads are drained and reported via *len).
 * Returns the command byte; *crc_ok tells whether the checksum matched. */
uint8_t tf_read_request(uint8_t *payload, uint32_t capacity, uint32_t *len, int *crc_ok);

/* Sends a response whose payload is the concatenation of two parts (either may be empty). */
void tf_send_response(uint8_t status, const uint8_t *a, uint32_t a_len, const uint8_t *b, uint32_t b_len);

#endif
