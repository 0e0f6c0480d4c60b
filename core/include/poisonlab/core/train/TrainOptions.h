#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace poisonlab::train {

/// Which tower's weights stay fixed during fine-tuning.
enum class FreezeTower : std::uint8_t { None, Image, Text };

/// Arithmetic of the forward pass (docs/training.md, "Precision"): bf16/fp16 run matrix products
/// and convolutions under LibTorch's autocast (bf16 on the CPU's AVX512-BF16/AMX units or CUDA;
/// fp16 on CUDA only, with dynamic loss scaling); weights, optimizer state, the residual stream,
/// the logit scale and the loss stay float32, and checkpoints are float32.
enum class Precision : std::uint8_t { Float32, BFloat16, Float16 };

/// Everything that controls a fine-tuning run. Defaults follow the paper's reference training
/// (Yang et al., ICML 2023; AdamW lr 1e-5, betas 0.9/0.98, eps 1e-6, weight decay 0.2) and
/// open_clip's cosine schedule with linear warm-up. JSON keys are the member names.
struct TrainOptions {
    int epochs = 10;
    int batchSize = 128;
    double learningRate = 1e-5;   ///< peak learning rate reached after warm-up
    double minLearningRate = 0.0; ///< the cosine decays to this at the last step
    long long warmupSteps = 50;   ///< linear warm-up: lr = peak * (step + 1) / warmupSteps
    double beta1 = 0.9;
    double beta2 = 0.98;
    double eps = 1e-6;
    /// Decoupled weight decay, applied only to matrices (weights of linear/conv layers): gains,
    /// biases, embeddings and logit_scale get none, as open_clip does.
    double weightDecay = 0.2;
    double maxLogitScale = 100.0; ///< logit_scale is clamped to ln(maxLogitScale) after each step
    double gradClipNorm = 0.0;    ///< clip the global gradient norm to this; 0 = off
    FreezeTower freeze = FreezeTower::None;
    Precision precision = Precision::Float32;
    std::string device = "cpu";         ///< "cpu", "cuda", "cuda:1"
    std::uint64_t seed = 0;             ///< data order (poisonlab::Rng) and torch::manual_seed
    bool dropLast = false;              ///< drop the last incomplete batch of an epoch
    long long checkpointEverySteps = 0; ///< extra checkpoints every N steps; 0 = epoch ends only
    int keepCheckpoints = 2;            ///< older checkpoint files beyond this many are removed (>= 1)
    int prefetchBatches = 2;            ///< batches the background loader prepares ahead (>= 1)
    /// Data-parallel runs (docs/distributed.md): false gathers every rank's features and computes
    /// the whole batch's loss on each rank; true computes only this rank's rows of the logits
    /// against the gathered features (open_clip's local_loss: less memory, same gradient).
    bool localLoss = false;
    double bucketMegabytes = 25.0; ///< gradient all-reduce bucket size of data-parallel runs

    /// Checks ranges; throws poisonlab::Error naming the offending option.
    void validate() const;
    nlohmann::json toJson() const;
    /// Missing keys keep their defaults; unknown keys or wrong types throw poisonlab::Error.
    static TrainOptions fromJson(const nlohmann::json &json);
};

std::string freezeTowerName(FreezeTower freeze); ///< "none", "image", "text"
std::string precisionName(Precision precision);  ///< "fp32", "bf16", "fp16"

} // namespace poisonlab::train
