#ifndef CAESBLOCK_H
#define CAESBLOCK_H

#include <stdint.h>

/// An expanded AES-128 encryption key schedule: 11 round keys of 16 bytes.
typedef struct {
    _Alignas(16) uint8_t roundKeys[176];
} caes128_schedule;

/// 1 when this CPU has the AES instructions this target uses (AES-NI on x86-64), else 0.
/// Callers fall back to another AES implementation when it is 0.
int caes128_hardware_available(void);

/// Expands a 16-byte key into `schedule`. Only valid when `caes128_hardware_available()` is 1.
void caes128_expand(const uint8_t key[16], caes128_schedule *schedule);

/// Encrypts one 16-byte block in place. `in` and `out` may alias.
/// Only valid when `caes128_hardware_available()` is 1.
void caes128_encrypt(const caes128_schedule *schedule, const uint8_t in[16], uint8_t out[16]);

/// Decrypts one 16-byte block (the inverse cipher, needed for join-accept and TS005 McKey encryption).
void caes128_decrypt(const caes128_schedule *schedule, const uint8_t in[16], uint8_t out[16]);

/// Overwrites a schedule with zeros in a way the optimiser may not remove.
void caes128_wipe(caes128_schedule *schedule);

#endif
