#pragma once

#include "poisonlab/core/train/TrainOptions.h"

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::train {

/// Where a run stands; what a checkpoint stores besides the tensors.
struct CheckpointState {
    int epoch = 0;             ///< 0-based epoch in progress (== epochs when the run is done)
    long long batch = 0;       ///< batches of that epoch already done
    long long globalStep = 0;  ///< steps done in the whole run
    double epochLossSum = 0.0; ///< running sum of the epoch's losses (for its mean)
    long long epochLossCount = 0;
    std::vector<int> order;     ///< the epoch's data order (pair indices)
    double lossScale = 65536.0; ///< fp16 loss scaler state
    long long goodSteps = 0;
    int worldSize = 1; ///< processes of the data-parallel run that wrote it
};

/// Writes `dir`/step-<global step>.ckpt (a torch archive: "model", "optimizer", "torch_cpu_rng",
/// "order" and a JSON "meta" string) atomically with its checksum file, then points
/// `dir`/latest.json at it (also atomically) and removes older step-*.ckpt files beyond `keep`.
/// Returns the file written. A write that fails (disk full, EIO) throws poisonlab::Error naming the
/// file and saying that the previous checkpoint is intact.
std::filesystem::path writeCheckpoint(const std::filesystem::path &dir, torch::nn::Module &model,
                                      torch::optim::Optimizer &optimizer, const CheckpointState &state,
                                      const TrainOptions &options, std::size_t pairs, int keep);

/// The checkpoints in `dir` a resume may use, best first: the one latest.json names, then the
/// other step-*.ckpt files, newest first (latest.json itself may be lost or damaged).
std::vector<std::filesystem::path> checkpointCandidates(const std::filesystem::path &dir);

/// Why `file` cannot be trusted — its size or CRC-32 differs from the checksum file
/// (<file>.sum.json) written with it — or nothing (also for a checkpoint written before
/// checksums, which has none).
std::optional<std::string> checkpointDamage(const std::filesystem::path &file);

/// The file latest.json in `dir` names, when it exists; empty otherwise.
std::filesystem::path latestCheckpointFile(const std::filesystem::path &dir);

/// Loads a checkpoint into the model and optimizer and restores the torch CPU RNG. Throws
/// poisonlab::Error naming the file when it is unreadable or was written for other options
/// (those that change the numbers, the precision among them unless `allowPrecisionChange`),
/// another training-set size or another model shape.
CheckpointState readCheckpoint(const std::filesystem::path &file, torch::nn::Module &model,
                               torch::optim::Optimizer &optimizer, const TrainOptions &options, std::size_t pairs,
                               long long batchesPerEpoch, const torch::Device &device,
                               bool allowPrecisionChange = false);

} // namespace poisonlab::train
