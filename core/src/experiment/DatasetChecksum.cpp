#include "poisonlab/core/experiment/DatasetChecksum.h"

#include <cstdint>
#include <cstdio>
#include <string_view>

namespace poisonlab::experiment {

namespace {

struct Fnv1a64 {
    std::uint64_t h = 1469598103934665603ULL;
    void bytes(std::string_view s)
    {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
        field(); // a separator, so ("ab","c") and ("a","bc") differ
    }
    void number(long long v) { bytes(std::to_string(v)); }
    void field()
    {
        h ^= 0xff;
        h *= 1099511628211ULL;
    }
};

} // namespace

std::string datasetChecksum(const data::Dataset &dataset)
{
    Fnv1a64 f;
    f.number(static_cast<long long>(dataset.classes.size()));
    for (const auto &c : dataset.classes)
        f.bytes(c);
    f.number(static_cast<long long>(dataset.images.size()));
    for (const auto &img : dataset.images) {
        f.bytes(img.path);
        f.number(img.label);
        f.bytes(data::splitName(img.split));
        for (int c : img.categories)
            f.number(c);
        f.field();
    }
    f.number(static_cast<long long>(dataset.captions.size()));
    for (const auto &cap : dataset.captions) {
        f.number(cap.image);
        f.bytes(cap.text);
        f.number(cap.poisoned ? cap.originalImage : -2);
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(f.h));
    return buf;
}

} // namespace poisonlab::experiment
