#pragma once

#include <torch/types.h>

#include <vector>

namespace poisonlab::train {

/// Supplies decoded, resized images for training and evaluation batches. Implementations must be
/// safe to call from the trainer's background loader thread (one caller at a time).
class ImageSource {
public:
    virtual ~ImageSource();
    /// uint8 tensor [B, R, R, 3] (RGB) for these image ids, in the given order.
    virtual torch::Tensor load(const std::vector<int> &images) = 0;
    /// The side R of the square images load() returns.
    virtual int resolution() const = 0;
};

} // namespace poisonlab::train
