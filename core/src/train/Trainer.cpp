#include "poisonlab/core/train/Trainer.h"

#include "DataParallelTraining.h"
#include "TrainCheckpoint.h"
#include "poisonlab/core/train/BatchLoader.h"
#include "poisonlab/core/train/ComputeDevices.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/clip/AutocastScope.h"
#include "poisonlab/core/clip/ClipLoss.h"
#include "poisonlab/core/clip/FusedAdamW.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <numeric>

namespace poisonlab::train {

namespace {

using Clock = std::chrono::steady_clock;

bool isImageTower(const std::string &name)
{
    return name.rfind("visual.", 0) == 0;
}

bool isTextTower(const std::string &name)
{
    return !isImageTower(name) && name != "logit_scale";
}

/// Decoupled weight decay goes to matrices only: gains and biases (1-D), embeddings (token,
/// positional, class) and logit_scale get none. See docs/training.md.
bool takesWeightDecay(const std::string &name, const torch::Tensor &p)
{
    return p.dim() >= 2 && name.find("embedding") == std::string::npos && name != "logit_scale";
}

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : "; ") + item;
    return out;
}

/// Renames each damaged checkpoint (named first in `damaged`) to <name>.damaged: kept for a
/// look, out of the way of the checkpoints written from now on.
void setDamagedAside(const std::filesystem::path &dir, const std::vector<std::string> &damaged)
{
    for (const auto &what : damaged) {
        const std::filesystem::path file = dir / what.substr(0, what.find(' '));
        std::filesystem::path aside = file;
        aside += ".damaged";
        std::error_code ec;
        std::filesystem::rename(file, aside, ec);
    }
}

bool isOutOfMemory(const c10::Error &e)
{
    if (dynamic_cast<const c10::OutOfMemoryError *>(&e))
        return true;
    const std::string what = e.what();
    return what.find("out of memory") != std::string::npos;
}

} // namespace

class Trainer::Impl {
public:
    Impl(clip::ClipModel m, TrainingPairs p, std::shared_ptr<ImageSource> src, TrainOptions o)
        : model(std::move(m)), pairs(std::move(p)), images(std::move(src)), opt(std::move(o)),
          device(parseDevice(opt.device)), schedule(opt.learningRate, opt.minLearningRate, opt.warmupSteps, 1)
    {
        opt.validate();
        if (auto problem = precisionProblem(precisionName(opt.precision), opt.device, cpuFlags()))
            throw Error(*problem); // never a silent float32 run
        if (!model)
            throw Error("the trainer needs a model");
        if (!images)
            throw Error("the trainer needs an image source");
        if (pairs.size() == 0)
            throw Error("the training set is empty");
        if (!pairs.tokens.defined() || pairs.tokens.dim() != 2 || pairs.tokens.size(0) != int64_t(pairs.size()))
            throw Error("the training tokens must be an int64 [pairs, context] tensor with one row per pair");
        if (images->resolution() != model->config().imageResolution)
            throw Error("the image source gives " + std::to_string(images->resolution()) +
                        " px images but the model expects " + std::to_string(model->config().imageResolution) + " px");
        pairs.tokens = pairs.tokens.to(torch::kInt64).contiguous();
        const auto n = (long long)pairs.size();
        batchesPerEpoch = opt.dropLast ? n / opt.batchSize : (n + opt.batchSize - 1) / opt.batchSize;
        if (batchesPerEpoch == 0)
            throw Error("the training set has " + std::to_string(n) + " pairs, fewer than one batch of " +
                        std::to_string(opt.batchSize) + " with dropLast on; lower batchSize");
        schedule =
            LearningRateSchedule(opt.learningRate, opt.minLearningRate, opt.warmupSteps, batchesPerEpoch * opt.epochs);
        model->to(device);
        buildOptimizer();
    }

    static torch::Device parseDevice(const std::string &name)
    {
        try {
            torch::Device dev(name);
            if (dev.is_cuda() && !torch::cuda::is_available())
                throw Error("training device '" + name + "' was asked for but no CUDA device is available");
            return dev;
        } catch (const c10::Error &) {
            throw Error("training device '" + name + "' is not a device name (use cpu, cuda or cuda:N)");
        }
    }

    void buildOptimizer()
    {
        std::vector<torch::Tensor> decay, noDecay;
        for (auto &item : model->named_parameters(true)) {
            const std::string &name = item.key();
            torch::Tensor &p = item.value();
            const bool frozen = (opt.freeze == FreezeTower::Image && isImageTower(name)) ||
                                (opt.freeze == FreezeTower::Text && isTextTower(name));
            p.set_requires_grad(!frozen);
            if (frozen)
                continue;
            (takesWeightDecay(name, p) ? decay : noDecay).push_back(p);
            trainable.push_back(p);
        }
        auto base = torch::optim::AdamWOptions(opt.learningRate)
                        .betas({opt.beta1, opt.beta2})
                        .eps(opt.eps)
                        .weight_decay(opt.weightDecay);
        std::vector<torch::optim::OptimizerParamGroup> groups;
        // Both groups always exist (possibly empty) so a checkpoint's layout never depends on freezing.
        groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(base));
        auto none = std::make_unique<torch::optim::AdamWOptions>(base);
        none->weight_decay(0.0);
        groups.emplace_back(noDecay, std::move(none));
        // FusedAdamW: torch::optim::AdamW's update and serialisation in one pass per CPU parameter.
        optimizer = std::make_unique<clip::FusedAdamW>(groups, base);
    }

    void setTrainMode()
    {
        model->train();
        // A frozen tower also keeps its normalisation statistics (ResNet BatchNorm), as open_clip's
        // lock_image_tower does.
        if (opt.freeze == FreezeTower::Image)
            model->visual().eval();
    }

    double step(const PreparedBatch &batch, long long globalStep)
    {
        const double lr = schedule.at(globalStep);
        for (auto &group : optimizer->param_groups())
            static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
        optimizer->zero_grad();
        auto pixels = batch.pixels.to(device);
        auto tokens = batch.tokens.to(device);
        const bool autocast = opt.precision != Precision::Float32;
        clip::AutocastScope scope(autocast, device.type(),
                                  opt.precision == Precision::Float16 ? at::kHalf : at::kBFloat16);
        auto imageFeatures = model->encodeImage(pixels);
        auto textFeatures = model->encodeText(tokens);
        scope.end();
        torch::Tensor objective; // what this rank differentiates
        const torch::Tensor loss =
            batchLoss(imageFeatures.to(torch::kFloat32), textFeatures.to(torch::kFloat32), batch.globalRows, objective);
        const bool scaled = autocast && opt.precision == Precision::Float16;
        if (parallel)
            parallel->beginBackward();
        if (scaled)
            (objective * lossScale).backward();
        else
            objective.backward();
        if (parallel)
            parallel->finishBackward(); // every rank now holds the gradient averaged over the ranks
        bool finite = true;
        if (scaled) {
            // A minimal dynamic loss scaler (LibTorch has no GradScaler): unscale, skip the step
            // on inf/nan and halve the scale, double it after 2000 good steps.
            torch::NoGradGuard guard;
            auto total = torch::zeros({}, torch::TensorOptions().device(device));
            for (auto &p : trainable)
                if (p.grad().defined()) {
                    p.mutable_grad().div_(lossScale);
                    total += p.grad().abs().sum().to(torch::kFloat32);
                }
            finite = std::isfinite(total.item<double>());
            if (!finite) {
                lossScale /= 2.0;
                goodSteps = 0;
            } else if (++goodSteps >= 2000) {
                lossScale *= 2.0;
                goodSteps = 0;
            }
        }
        if (finite) {
            if (opt.gradClipNorm > 0)
                torch::nn::utils::clip_grad_norm_(trainable, opt.gradClipNorm);
            optimizer->step();
        }
        {
            torch::NoGradGuard guard;
            model->logit_scale.clamp_(0.0, std::log(opt.maxLogitScale));
        }
        return loss.item<double>();
    }

    /// The global batch's loss (the value reported) and, in `objective`, what this rank
    /// backpropagates: the same in one process; see DataParallelTraining::loss otherwise.
    torch::Tensor batchLoss(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures, long long globalRows,
                            torch::Tensor &objective)
    {
        const torch::Tensor scale = model->logitScale().to(torch::kFloat32);
        if (parallel)
            return parallel->loss(imageFeatures, textFeatures, scale, globalRows, objective);
        objective = clip::clipContrastiveLoss(imageFeatures, textFeatures, scale);
        return objective;
    }

    bool cancelledAnywhere(const ProgressReporter &progress) const
    {
        return parallel ? parallel->anyCancelled(progress.wasCancelled()) : progress.wasCancelled();
    }

    bool writesFiles() const { return !parallel || parallel->group()->rank() == 0; }

    CheckpointState makeState() const
    {
        CheckpointState s = position;
        if (s.order.empty() && s.epoch < opt.epochs)
            s.order = Trainer::epochOrder(opt.seed, s.epoch, pairs.size());
        s.lossScale = lossScale;
        s.goodSteps = goodSteps;
        s.worldSize = parallel ? parallel->group()->size() : 1;
        return s;
    }

    void saveCheckpoint()
    {
        if (checkpointDir.empty() || lastSavedStep == position.globalStep)
            return;
        if (!writesFiles()) { // rank 0 writes the run's checkpoints
            lastSavedStep = position.globalStep;
            return;
        }
        lastCheckpoint =
            writeCheckpoint(checkpointDir, *model, *optimizer, makeState(), opt, pairs.size(), opt.keepCheckpoints);
        lastSavedStep = position.globalStep;
    }

    long long totalSteps() const { return batchesPerEpoch * opt.epochs; }

    // The loader thread gets its own copies: the resumed epoch keeps the order saved in the
    // checkpoint, later epochs are drawn from the seed.
    BatchLoader makeLoader() const
    {
        const int firstEpoch = position.epoch;
        const std::vector<int> firstOrder = position.order;
        const std::uint64_t seed = opt.seed;
        const std::size_t pairCount = pairs.size();
        return BatchLoader(
            images, pairs.images, pairs.tokens,
            [=](int e) {
                return e == firstEpoch && !firstOrder.empty() ? firstOrder : Trainer::epochOrder(seed, e, pairCount);
            },
            opt.batchSize, batchesPerEpoch, opt.epochs, position.epoch, position.batch, opt.prefetchBatches,
            parallel ? parallel->group()->rank() : 0, parallel ? parallel->group()->size() : 1);
    }

    /// The loss and learning rate of one step.
    struct StepResult {
        double loss;
        double lr;
    };

    // Trains on the batch at the current position and moves the position one step on.
    StepResult trainBatch(const PreparedBatch &batch)
    {
        if (batch.epoch != position.epoch || batch.batch != position.batch)
            throw Error("internal: the data loader is out of step with the trainer");
        const double lr = schedule.at(position.globalStep);
        double loss = 0;
        setTrainMode();
        try {
            loss = step(batch, position.globalStep);
        } catch (const c10::Error &e) {
            if (isOutOfMemory(e))
                rethrowOutOfMemory(e);
            throw;
        }
        ++position.globalStep;
        ++position.batch;
        position.epochLossSum += loss;
        ++position.epochLossCount;
        return {loss, lr};
    }

    // The step's metrics record and "train" progress event; `stepsThisCall` steps ran since `started`.
    void reportStep(ProgressReporter &progress, const PreparedBatch &batch, const StepResult &result,
                    long long stepsThisCall, Clock::time_point started)
    {
        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
        const double samplesPerS = elapsed > 0 ? double(stepsThisCall) * opt.batchSize / elapsed : 0.0;
        const double etaS =
            stepsThisCall > 0 ? elapsed / double(stepsThisCall) * double(totalSteps() - position.globalStep) : 0;
        const double logitScale = model->logit_scale.item<double>();
        if (sink)
            sink->stepRecord({{"type", "step"},
                              {"epoch", position.epoch + 1},
                              {"step", position.globalStep},
                              {"loss", result.loss},
                              {"lr", result.lr},
                              {"logit_scale", logitScale},
                              {"samples_per_s", samplesPerS},
                              {"batch_size", batch.globalRows}});
        ProgressEvent ev;
        ev.stage = "train";
        ev.done = position.globalStep;
        ev.total = totalSteps();
        ev.message = "epoch " + std::to_string(position.epoch + 1) + "/" + std::to_string(opt.epochs);
        ev.values = {{"epoch", double(position.epoch + 1)},
                     {"step", double(position.globalStep)},
                     {"loss", result.loss},
                     {"lr", result.lr},
                     {"samples_per_s", samplesPerS},
                     {"eta_s", etaS}};
        progress.report(ev);
    }

    // A checkpoint every checkpointEverySteps steps, except at an epoch's end, which saves anyway.
    bool checkpointDueMidEpoch() const
    {
        return opt.checkpointEverySteps > 0 && position.globalStep % opt.checkpointEverySteps == 0 &&
               position.batch < batchesPerEpoch;
    }

    // Epoch end: hook (e.g. per-epoch evaluation), record, then the checkpoint; moves the position
    // to the next epoch and restarts `epochStarted`.
    void finishEpoch(ProgressReporter &progress, Clock::time_point &epochStarted, TrainSummary &summary)
    {
        const int epochNumber = position.epoch + 1;
        const double meanLoss =
            position.epochLossCount > 0 ? position.epochLossSum / double(position.epochLossCount) : 0.0;
        nlohmann::json record = {{"type", "epoch"},
                                 {"epoch", epochNumber},
                                 {"step", position.globalStep},
                                 {"mean_loss", meanLoss},
                                 {"lr", schedule.at(std::max(0LL, position.globalStep - 1))},
                                 {"logit_scale", model->logit_scale.item<double>()},
                                 {"seconds", std::chrono::duration<double>(Clock::now() - epochStarted).count()}};
        if (hook) {
            nlohmann::json extra = hook(epochNumber, model);
            if (extra.is_object())
                record.update(extra);
        }
        summary.epochLosses.push_back(meanLoss);
        if (sink)
            sink->epochRecord(record);
        position.epoch += 1;
        position.batch = 0;
        position.epochLossSum = 0;
        position.epochLossCount = 0;
        position.order.clear();
        saveCheckpoint();
        epochStarted = Clock::now();
        ProgressEvent ev;
        ev.stage = "train";
        ev.done = position.globalStep;
        ev.total = totalSteps();
        ev.message = "epoch " + std::to_string(epochNumber) + " done";
        ev.values = {{"epoch", double(epochNumber)}, {"mean_loss", meanLoss}};
        progress.report(ev);
    }

    [[noreturn]] void rethrowOutOfMemory(const c10::Error &e) const
    {
        const int half = opt.batchSize / 2;
        std::string advice =
            half >= 2 ? "try batchSize " + std::to_string(half) + " (--batch-size " + std::to_string(half) + ")"
                      : "even batch size 2 does not fit; use a smaller model or the CPU";
        (void)e;
        throw Error("the GPU (" + device.str() + ") ran out of memory at batch size " + std::to_string(opt.batchSize) +
                    "; " + advice);
    }

    clip::ClipModel model;
    TrainingPairs pairs;
    std::shared_ptr<ImageSource> images;
    TrainOptions opt;
    torch::Device device;
    LearningRateSchedule schedule;
    long long batchesPerEpoch = 0;
    std::unique_ptr<torch::optim::AdamW> optimizer;
    std::vector<torch::Tensor> trainable;

    std::filesystem::path checkpointDir;
    std::filesystem::path lastCheckpoint;
    MetricsSink *sink = nullptr;
    EpochHook hook;
    std::unique_ptr<DataParallelTraining> parallel; // null: one process
    std::vector<std::string> resumeWarnings;

    CheckpointState position; // where the run stands: epoch, batch within it, global step, epoch loss
    long long resumedFrom = 0;
    long long lastSavedStep = -1;
    bool resumed = false;
    double lossScale = 65536.0;
    long long goodSteps = 0;
};

Trainer::Trainer(clip::ClipModel model, TrainingPairs pairs, std::shared_ptr<ImageSource> images, TrainOptions options)
    : d(std::make_unique<Impl>(std::move(model), std::move(pairs), std::move(images), std::move(options)))
{
}

Trainer::~Trainer() = default;

void Trainer::setCheckpointDir(const std::filesystem::path &dir)
{
    d->checkpointDir = dir;
}

void Trainer::setMetricsSink(MetricsSink *sink)
{
    d->sink = sink;
}

void Trainer::setEpochHook(EpochHook hook)
{
    d->hook = std::move(hook);
}

void Trainer::setProcessGroup(std::shared_ptr<distributed::DistributedGroup> group)
{
    if (group && group->size() > 1)
        d->parallel = std::make_unique<DataParallelTraining>(std::move(group), d->opt, (long long)d->pairs.size(),
                                                             d->model, d->trainable);
}

bool Trainer::hasCheckpoint(const std::filesystem::path &dir)
{
    return !checkpointCandidates(dir).empty();
}

void Trainer::resume(const std::filesystem::path &dir, bool allowPrecisionChange)
{
    // The newest checkpoint whose checksum holds; a damaged one is named, set aside and skipped.
    std::filesystem::path file;
    std::vector<std::string> damaged;
    for (const auto &candidate : checkpointCandidates(dir)) {
        if (auto damage = checkpointDamage(candidate)) {
            damaged.push_back(candidate.filename().string() + " " + *damage);
            continue;
        }
        file = candidate;
        break;
    }
    if (file.empty())
        throw Error(dir, damaged.empty() ? std::string("holds no training checkpoint to resume from")
                                         : "holds no intact training checkpoint: " + joined(damaged));
    CheckpointState state = readCheckpoint(file, *d->model, *d->optimizer, d->opt, d->pairs.size(), d->batchesPerEpoch,
                                           d->device, allowPrecisionChange);
    d->resumeWarnings.clear();
    for (const auto &what : damaged)
        d->resumeWarnings.push_back((dir / what).string() + " (damaged: its checksum differs); resumed from " +
                                    file.filename().string() + " instead");
    if (d->writesFiles())
        setDamagedAside(dir, damaged);
    const int world = d->parallel ? d->parallel->group()->size() : 1;
    if (state.worldSize != world)
        throw Error(file, "was written by a run of " + std::to_string(state.worldSize) +
                              " process(es); resume it with the same number (--nproc " +
                              std::to_string(state.worldSize) + "), not " + std::to_string(world));
    d->position = std::move(state);
    d->lossScale = d->position.lossScale;
    d->goodSteps = d->position.goodSteps;
    d->checkpointDir = dir;
    d->lastCheckpoint = file;
    d->resumedFrom = d->position.globalStep;
    d->lastSavedStep = d->position.globalStep;
    d->resumed = true;
}

TrainSummary Trainer::run(ProgressReporter &progress)
{
    Impl &s = *d;
    TrainSummary summary;
    summary.totalSteps = totalSteps();
    if (!s.resumed && s.position.globalStep == 0)
        torch::manual_seed(s.opt.seed);
    const auto started = Clock::now();
    long long stepsThisCall = 0;
    auto finish = [&] {
        summary.epochsDone = s.position.epoch;
        summary.stepsDone = s.position.globalStep;
        summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    };
    if (s.position.epoch >= s.opt.epochs) {
        finish();
        return summary;
    }
    BatchLoader loader = s.makeLoader();
    auto epochStarted = Clock::now();
    while (s.position.epoch < s.opt.epochs) {
        if (s.position.order.empty())
            s.position.order = epochOrder(s.opt.seed, s.position.epoch, s.pairs.size());
        while (s.position.batch < s.batchesPerEpoch) {
            if (s.cancelledAnywhere(progress)) {
                s.saveCheckpoint();
                finish();
                throw CancelledError();
            }
            PreparedBatch batch = loader.next();
            const Impl::StepResult result = s.trainBatch(batch);
            ++stepsThisCall;
            summary.stepLosses.push_back(result.loss);
            s.reportStep(progress, batch, result, stepsThisCall, started);
            if (s.checkpointDueMidEpoch())
                s.saveCheckpoint();
        }
        s.finishEpoch(progress, epochStarted, summary);
    }
    finish();
    return summary;
}

clip::ClipModel Trainer::model() const
{
    return d->model;
}

const TrainOptions &Trainer::options() const
{
    return d->opt;
}

const LearningRateSchedule &Trainer::schedule() const
{
    return d->schedule;
}

long long Trainer::stepsPerEpoch() const
{
    return d->batchesPerEpoch;
}

long long Trainer::totalSteps() const
{
    return d->totalSteps();
}

long long Trainer::globalStep() const
{
    return d->position.globalStep;
}

const std::vector<std::string> &Trainer::resumeWarnings() const
{
    return d->resumeWarnings;
}

long long Trainer::resumedFromStep() const
{
    return d->resumedFrom;
}

std::filesystem::path Trainer::lastCheckpoint() const
{
    return d->lastCheckpoint;
}

std::vector<int> Trainer::epochOrder(std::uint64_t seed, int epoch, std::size_t pairs)
{
    std::vector<int> order(pairs);
    std::iota(order.begin(), order.end(), 0);
    Rng rng = Rng::derive(seed, std::uint64_t(epoch));
    rng.shuffle(order);
    return order;
}

nlohmann::json TrainSummary::toJson() const
{
    return {{"epochs_done", epochsDone}, {"steps_done", stepsDone},     {"total_steps", totalSteps},
            {"step_losses", stepLosses}, {"epoch_losses", epochLosses}, {"seconds", seconds}};
}

} // namespace poisonlab::train
