#pragma once
// The LibTorch fuzz targets' start: one intra-op thread (the fuzzer runs one input at a time, on a
// shared machine).
#include <ATen/Parallel.h>

namespace poisonlab::fuzz {

inline void setUpTorch()
{
    at::set_num_threads(1);
}

} // namespace poisonlab::fuzz
