#pragma once

// The rank-counting loops are compiled twice on x86-64, for AVX2 and for the baseline, and the
// better one is picked at load time (GCC function multiversioning): counting both higher and
// equal scores (for the tie rule and the tie counts) costs two compares per score, which AVX2's
// wider vectors absorb, so the metrics take the time they took with one compare.
// Not under ThreadSanitizer: GCC instruments the clones' resolver, which the loader runs while
// relocating the library, before TSan's runtime is up, and every program crashed at start.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define POISONLAB_RANK_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define POISONLAB_RANK_CLONES
#endif
