/* Model updates over the framed serial protocol (update-service.h). One transfer at a time, kept in RAM: a
 * dropped link leaves it where it was, and a BEGIN with the same header resumes it (the answer says how many
 * bytes the device holds). A different header starts over. Nothing is marked pending before UPDATE_END has
 * checked the slot as written, so a transfer that never ends leaves the slot ignored at boot. */
#include "update-service.h"

#include <string.h>

#include "board.h"
#include "serial-protocol.h"

#define CHUNK_MAX 1024u

static struct {
  int active;   /* a BEGIN was accepted */
  int complete; /* END marked it pending */
  int target;
  uint8_t header[TF_UPDATE_HEADER_BYTES];
  uint32_t held;  /* .tfu bytes written, header included */
  uint32_t total; /* header + payload */
} xfer;

/* Every answer starts with the command it answers, so a host can tell a late answer to an earlier request
 * (a host that went away mid-exchange, a retried frame) from the one it waits for. */
static uint8_t answering;

static void reply(uint8_t status, const uint8_t *p, uint32_t len) { tf_send_response(status, &answering, 1, p, len); }

static void put_u32le(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }

static uint8_t status_of(tf_install_result r) {
  switch (r) {
    case TF_INSTALL_OK: return TF_STATUS_OK;
    case TF_INSTALL_BAD_HEADER: return TF_STATUS_UPDATE_BAD_HEADER;
    case TF_INSTALL_TOO_LARGE: return TF_STATUS_UPDATE_TOO_LARGE;
    case TF_INSTALL_BAD_SIGNATURE: return TF_STATUS_UPDATE_BAD_SIGNATURE;
    case TF_INSTALL_NOT_NEWER: return TF_STATUS_UPDATE_NOT_NEWER;
    case TF_INSTALL_TRUNCATED: return TF_STATUS_UPDATE_TRUNCATED;
    case TF_INSTALL_BAD_HASH: return TF_STATUS_UPDATE_BAD_HASH;
    default: return TF_STATUS_UPDATE_FLASH_ERROR;
  }
}

static void answer_held(uint8_t status) {
  uint8_t p[8];
  put_u32le(p, xfer.held);
  put_u32le(p + 4, CHUNK_MAX);
  reply(status, p, 8);
}

static void begin(const uint8_t *payload, uint32_t len, const tf_update_env *env) {
  if (len != TF_UPDATE_HEADER_BYTES) {
    reply(TF_STATUS_UPDATE_BAD_HEADER, 0, 0);
    return;
  }
  /* The same update again: resume it (or confirm it is already complete). */
  if (xfer.active && memcmp(xfer.header, payload, TF_UPDATE_HEADER_BYTES) == 0) {
    answer_held(TF_STATUS_OK);
    return;
  }
  xfer.active = 0;
  xfer.complete = 0;
  int target;
  tf_install_result r = tf_slots_begin(env->slots, env->running, payload, &target);
  if (r != TF_INSTALL_OK) {
    xfer.held = 0;
    answer_held(status_of(r));
    return;
  }
  memcpy(xfer.header, payload, TF_UPDATE_HEADER_BYTES);
  xfer.active = 1;
  xfer.target = target;
  xfer.held = TF_UPDATE_HEADER_BYTES;
  xfer.total = TF_UPDATE_HEADER_BYTES + le32(payload + 12);
  answer_held(TF_STATUS_OK);
}

static void data(const uint8_t *payload, uint32_t len, const tf_update_env *env) {
  if (!xfer.active || xfer.complete) {
    reply(TF_STATUS_UPDATE_NOT_STARTED, 0, 0);
    return;
  }
  if (len < 4) {
    reply(TF_STATUS_BAD_LENGTH, 0, 0);
    return;
  }
  uint32_t offset = le32(payload), n = len - 4;
  /* Chunks land in order, a whole number of flash cells but for the last: anything else gets the bytes held back. */
  if (offset != xfer.held || n > CHUNK_MAX || n > xfer.total - offset || (n % TF_FLASH_CELL_BYTES != 0 && offset + n != xfer.total)) {
    answer_held(TF_STATUS_UPDATE_OUT_OF_ORDER);
    return;
  }
  tf_install_result r = tf_slots_write(env->slots, xfer.target, offset, payload + 4, n);
  if (r != TF_INSTALL_OK) {
    xfer.active = 0;
    answer_held(status_of(r));
    return;
  }
  xfer.held += n;
  answer_held(TF_STATUS_OK);
}

static void end(const tf_update_env *env) {
  if (!xfer.active) {
    reply(TF_STATUS_UPDATE_NOT_STARTED, 0, 0);
    return;
  }
  if (xfer.complete) {
    reply(TF_STATUS_OK, 0, 0);
    return;
  }
  if (xfer.held != xfer.total) {
    answer_held(TF_STATUS_UPDATE_TRUNCATED);
    return;
  }
  tf_install_result r = tf_slots_finish(env->slots, xfer.target);
  if (r != TF_INSTALL_OK) xfer.active = 0;
  else xfer.complete = 1;
  reply(status_of(r), 0, 0);
}

/* (after the echoed command byte) u8 running slot (0xFF none), u8 on trial, u8 state of A, u8 state of B, u8 key present, u8 flash driver,
 * u8 transfer (0 none, 1 receiving, 2 pending), u8 0, u32 running model version, u32 held, u32 total. */
static void status(const tf_update_env *env) {
  uint8_t p[20] = {0};
  p[0] = env->running < 0 ? 0xFF : (uint8_t)env->running;
  p[1] = (uint8_t)env->on_trial;
  p[2] = env->slots ? (uint8_t)tf_slot_state_of(env->slots, 0) : 0xFF;
  p[3] = env->slots ? (uint8_t)tf_slot_state_of(env->slots, 1) : 0xFF;
  p[4] = (uint8_t)env->key_present;
  p[5] = env->slots != 0;
  p[6] = (uint8_t)(xfer.complete ? 2 : xfer.active ? 1 : 0);
  put_u32le(p + 8, env->slots && env->running >= 0 ? tf_slot_model_version(env->slots, env->running) : 0);
  put_u32le(p + 12, xfer.active ? xfer.held : 0);
  put_u32le(p + 16, xfer.active ? xfer.total : 0);
  reply(TF_STATUS_OK, p, sizeof p);
}

int tf_update_handle(uint8_t cmd, const uint8_t *payload, uint32_t len, const tf_update_env *env) {
  answering = cmd;
  switch (cmd) {
    case TF_CMD_STATUS: status(env); return 1;
    case TF_CMD_REBOOT:
      reply(TF_STATUS_OK, 0, 0);
      /* Let the UART shift the answer out before the reset. */
      for (volatile uint32_t i = 0; i < 200000u; i++) {
      }
      board_reset();
    case TF_CMD_UPDATE_BEGIN:
    case TF_CMD_UPDATE_DATA:
    case TF_CMD_UPDATE_END:
      break;
    default: return 0;
  }
  if (!env->key_present) {
    reply(TF_STATUS_UPDATE_NO_KEY, 0, 0);
  } else if (!env->slots) {
    reply(TF_STATUS_UPDATE_NO_FLASH_DRIVER, 0, 0);
  } else if (cmd == TF_CMD_UPDATE_BEGIN) {
    begin(payload, len, env);
  } else if (cmd == TF_CMD_UPDATE_DATA) {
    data(payload, len, env);
  } else {
    end(env);
  }
  return 1;
}
