#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/train/ImageSource.h"
#include "poisonlab/core/train/LearningRateSchedule.h"
#include "poisonlab/core/train/MetricsSink.h"
#include "poisonlab/core/train/TrainOptions.h"
#include "poisonlab/core/train/TrainingPairs.h"

#include <nlohmann/json.hpp>

namespace poisonlab::distributed {
class DistributedGroup;
}

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace poisonlab::train {

/// What a finished (or cancelled) run did.
struct TrainSummary {
    int epochsDone = 0;
    long long stepsDone = 0; ///< global steps done, including those before a resume
    long long totalSteps = 0;
    std::vector<double> stepLosses;  ///< losses of the steps run by this call, in order
    std::vector<double> epochLosses; ///< mean loss of each epoch finished by this call
    double seconds = 0.0;
    nlohmann::json toJson() const;
};

/// Fine-tunes a CLIP model contrastively on image-caption pairs, as the paper's reference code
/// does: AdamW with decoupled weight decay on matrices only, cosine schedule with warm-up,
/// symmetric cross-entropy over in-batch pairs scaled by exp(logit_scale), logit_scale clamped
/// at ln(100). See docs/training.md.
///
/// Deterministic for a seed: the epoch-e order is a permutation drawn by
/// Rng::derive(seed, e), and torch::manual_seed(seed) is set before training. A background
/// thread prepares the next batches (pixels normalised, tokens gathered) while the current step
/// runs. Checkpoints (model, optimizer, schedule position, torch RNG state, data order and
/// position) are written atomically into the checkpoint folder at each epoch end, every
/// checkpointEverySteps steps, and when the run is cancelled; resume() continues bit-for-bit
/// where the run stopped (on the CPU).
///
/// Not thread-safe: one thread calls run(); cancellation comes through the ProgressReporter.
class Trainer {
public:
    /// Values merged into an epoch's record; called after each epoch's last step (e.g. to run
    /// the attack evaluation per epoch) with the 1-based epoch number and the model.
    using EpochHook = std::function<nlohmann::json(int epoch, clip::ClipModel &model)>;

    Trainer(clip::ClipModel model, TrainingPairs pairs, std::shared_ptr<ImageSource> images, TrainOptions options);
    ~Trainer();
    Trainer(const Trainer &) = delete;
    Trainer &operator=(const Trainer &) = delete;

    /// Folder for checkpoints (created when needed). Without one, nothing is saved.
    void setCheckpointDir(const std::filesystem::path &dir);
    void setMetricsSink(MetricsSink *sink);
    void setEpochHook(EpochHook hook);
    /// Trains data-parallel in `group` (docs/distributed.md): call on every rank before resume()
    /// and run(). Each rank loads its shard of every global batch, the loss is that of the global
    /// batch (features gathered with gradient; options().localLoss computes only this rank's
    /// rows), gradients are averaged in buckets during the backward pass, and only rank 0 writes
    /// checkpoints. Throws poisonlab::Error when the batch size does not divide among the ranks.
    void setProcessGroup(std::shared_ptr<distributed::DistributedGroup> group);

    /// Loads the newest intact checkpoint in `dir` (also making it the checkpoint folder); run()
    /// then continues from it. A checkpoint whose checksum differs is skipped for the one before
    /// it (see resumeWarnings()) and renamed to <file>.damaged. Throws poisonlab::Error when there is none, when it is
    /// unreadable, or when it belongs to another model shape, dataset size or batch size — or was trained in another
    /// precision, unless `allowPrecisionChange` (the numbers then differ from there on).
    void resume(const std::filesystem::path &dir, bool allowPrecisionChange = false);
    /// True when `dir` holds a checkpoint resume() can load.
    static bool hasCheckpoint(const std::filesystem::path &dir);

    /// Trains until the last epoch is done. Reports "train" progress events (done/total steps;
    /// values: epoch, step, loss, lr, samples_per_s, eta_s). On cancellation it stops after the
    /// current step, writes a checkpoint (when a folder is set) and throws CancelledError.
    /// A CUDA out-of-memory error is rethrown as poisonlab::Error naming a smaller batch size.
    TrainSummary run(ProgressReporter &progress);

    clip::ClipModel model() const;
    const TrainOptions &options() const;
    const LearningRateSchedule &schedule() const;
    long long stepsPerEpoch() const;
    long long totalSteps() const;
    long long globalStep() const;      ///< steps done so far (also after resume())
    long long resumedFromStep() const; ///< global step of the loaded checkpoint; 0 without resume
    /// What the last resume() skipped, a line each (a damaged checkpoint and the one used instead).
    const std::vector<std::string> &resumeWarnings() const;
    /// Path of the newest checkpoint written or loaded; empty when none.
    std::filesystem::path lastCheckpoint() const;

    /// One epoch's data order (pair indices) for a seed: the same in every run.
    static std::vector<int> epochOrder(std::uint64_t seed, int epoch, std::size_t pairs);

private:
    class Impl;
    std::unique_ptr<Impl> d;
};

} // namespace poisonlab::train
