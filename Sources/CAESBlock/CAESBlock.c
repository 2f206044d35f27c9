#include "CAESBlock.h"
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <wmmintrin.h>
#include <emmintrin.h>

#define CAES_TARGET __attribute__((target("aes,sse2")))

int caes128_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) { return 0; }
    return (ecx & bit_AES) != 0 && (edx & bit_SSE2) != 0;
}

CAES_TARGET static inline __m128i caes_expand_step(__m128i key, __m128i generated) {
    generated = _mm_shuffle_epi32(generated, 0xff);
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    return _mm_xor_si128(key, generated);
}

#define CAES_ROUND(i, rcon) \
    k[i] = caes_expand_step(k[i - 1], _mm_aeskeygenassist_si128(k[i - 1], rcon))

CAES_TARGET void caes128_expand(const uint8_t key[16], caes128_schedule *schedule) {
    __m128i k[11];
    k[0] = _mm_loadu_si128((const __m128i *)key);
    CAES_ROUND(1, 0x01); CAES_ROUND(2, 0x02); CAES_ROUND(3, 0x04); CAES_ROUND(4, 0x08);
    CAES_ROUND(5, 0x10); CAES_ROUND(6, 0x20); CAES_ROUND(7, 0x40); CAES_ROUND(8, 0x80);
    CAES_ROUND(9, 0x1b); CAES_ROUND(10, 0x36);
    for (int i = 0; i < 11; i++) {
        _mm_store_si128((__m128i *)(schedule->roundKeys + 16 * i), k[i]);
    }
}

CAES_TARGET void caes128_encrypt(const caes128_schedule *schedule, const uint8_t in[16], uint8_t out[16]) {
    const __m128i *k = (const __m128i *)schedule->roundKeys;
    __m128i b = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), _mm_load_si128(k));
    for (int i = 1; i < 10; i++) { b = _mm_aesenc_si128(b, _mm_load_si128(k + i)); }
    b = _mm_aesenclast_si128(b, _mm_load_si128(k + 10));
    _mm_storeu_si128((__m128i *)out, b);
}

CAES_TARGET void caes128_decrypt(const caes128_schedule *schedule, const uint8_t in[16], uint8_t out[16]) {
    // The equivalent inverse cipher: round keys 9..1 go through InvMixColumns.
    const __m128i *k = (const __m128i *)schedule->roundKeys;
    __m128i b = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), _mm_load_si128(k + 10));
    for (int i = 9; i > 0; i--) { b = _mm_aesdec_si128(b, _mm_aesimc_si128(_mm_load_si128(k + i))); }
    b = _mm_aesdeclast_si128(b, _mm_load_si128(k));
    _mm_storeu_si128((__m128i *)out, b);
}

#else

int caes128_hardware_available(void) { return 0; }
void caes128_expand(const uint8_t key[16], caes128_schedule *schedule) { (void)key; memset(schedule, 0, sizeof *schedule); }
void caes128_encrypt(const caes128_schedule *schedule, const uint8_t in[16], uint8_t out[16]) { (void)schedule; memmove(out, in, 16); }
void caes128_decrypt(const caes128_schedule *schedule, const uint8_t in[16], uint8_t out[16]) { (void)schedule; memmove(out, in, 16); }

#endif

void caes128_wipe(caes128_schedule *schedule) {
    volatile uint8_t *p = schedule->roundKeys;
    for (size_t i = 0; i < sizeof schedule->roundKeys; i++) { p[i] = 0; }
}
