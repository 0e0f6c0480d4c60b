#include "poisonlab/core/train/TrainOptions.h"

#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

namespace poisonlab::train {

std::string freezeTowerName(FreezeTower freeze)
{
    switch (freeze) {
    case FreezeTower::Image:
        return "image";
    case FreezeTower::Text:
        return "text";
    case FreezeTower::None:
        break;
    }
    return "none";
}

std::string precisionName(Precision precision)
{
    switch (precision) {
    case Precision::BFloat16:
        return "bf16";
    case Precision::Float16:
        return "fp16";
    case Precision::Float32:
        break;
    }
    return "fp32";
}

namespace {

[[noreturn]] void bad(const std::string &key, const std::string &problem)
{
    throw Error("training option '" + key + "' " + problem);
}

template <typename T>
void take(const nlohmann::json &json, const char *key, T &out)
{
    auto it = json.find(key);
    if (it == json.end())
        return;
    try {
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            if (!it->is_number_integer())
                bad(key, "must be an integer, got " + it->dump());
        } else if constexpr (std::is_floating_point_v<T>) {
            if (!it->is_number())
                bad(key, "must be a number, got " + it->dump());
        } else if constexpr (std::is_same_v<T, bool>) {
            if (!it->is_boolean())
                bad(key, "must be true or false, got " + it->dump());
        } else {
            if (!it->is_string())
                bad(key, "must be a string, got " + it->dump());
        }
        out = it->template get<T>();
    } catch (const nlohmann::json::exception &e) {
        bad(key, std::string("has the wrong type: ") + e.what());
    }
}

} // namespace

void TrainOptions::validate() const
{
    if (epochs < 1)
        bad("epochs", "must be at least 1, got " + std::to_string(epochs));
    if (batchSize < 2)
        bad("batchSize", "must be at least 2 (contrastive loss needs negatives), got " + std::to_string(batchSize));
    if (!(learningRate > 0) || !std::isfinite(learningRate))
        bad("learningRate", "must be a positive number");
    if (minLearningRate < 0 || minLearningRate > learningRate)
        bad("minLearningRate", "must lie in [0, learningRate]");
    if (warmupSteps < 0)
        bad("warmupSteps", "must not be negative");
    if (!(beta1 >= 0 && beta1 < 1))
        bad("beta1", "must lie in [0, 1)");
    if (!(beta2 >= 0 && beta2 < 1))
        bad("beta2", "must lie in [0, 1)");
    if (!(eps > 0))
        bad("eps", "must be positive");
    if (weightDecay < 0)
        bad("weightDecay", "must not be negative");
    if (!(maxLogitScale > 1))
        bad("maxLogitScale", "must be greater than 1");
    if (gradClipNorm < 0)
        bad("gradClipNorm", "must not be negative (0 turns clipping off)");
    if (checkpointEverySteps < 0)
        bad("checkpointEverySteps", "must not be negative (0: epoch ends only)");
    if (keepCheckpoints < 1)
        bad("keepCheckpoints", "must be at least 1");
    if (prefetchBatches < 1)
        bad("prefetchBatches", "must be at least 1");
    if (device.empty())
        bad("device", "must not be empty");
    if (!(bucketMegabytes > 0))
        bad("bucketMegabytes", "must be positive");
}

nlohmann::json TrainOptions::toJson() const
{
    return {{"epochs", epochs},
            {"batchSize", batchSize},
            {"learningRate", learningRate},
            {"minLearningRate", minLearningRate},
            {"warmupSteps", warmupSteps},
            {"beta1", beta1},
            {"beta2", beta2},
            {"eps", eps},
            {"weightDecay", weightDecay},
            {"maxLogitScale", maxLogitScale},
            {"gradClipNorm", gradClipNorm},
            {"freeze", freezeTowerName(freeze)},
            {"precision", precisionName(precision)},
            {"device", device},
            {"seed", seed},
            {"dropLast", dropLast},
            {"checkpointEverySteps", checkpointEverySteps},
            {"keepCheckpoints", keepCheckpoints},
            {"prefetchBatches", prefetchBatches},
            {"localLoss", localLoss},
            {"bucketMegabytes", bucketMegabytes}};
}

TrainOptions TrainOptions::fromJson(const nlohmann::json &json)
{
    if (!json.is_object())
        throw Error("training options must be a JSON object, got " + json.dump());
    static const std::set<std::string> known = {
        "epochs",          "batchSize", "learningRate",   "minLearningRate", "warmupSteps",          "beta1",
        "beta2",           "eps",       "weightDecay",    "maxLogitScale",   "gradClipNorm",         "freeze",
        "precision",       "device",    "seed",           "dropLast",        "checkpointEverySteps", "keepCheckpoints",
        "prefetchBatches", "localLoss", "bucketMegabytes"};
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!known.count(it.key()))
            bad(it.key(),
                "is unknown (known: epochs, batchSize, learningRate, minLearningRate, warmupSteps, beta1, "
                "beta2, eps, weightDecay, maxLogitScale, gradClipNorm, freeze, precision, device, seed, "
                "dropLast, checkpointEverySteps, keepCheckpoints, prefetchBatches, localLoss, bucketMegabytes)");
    TrainOptions o;
    take(json, "epochs", o.epochs);
    take(json, "batchSize", o.batchSize);
    take(json, "learningRate", o.learningRate);
    take(json, "minLearningRate", o.minLearningRate);
    take(json, "warmupSteps", o.warmupSteps);
    take(json, "beta1", o.beta1);
    take(json, "beta2", o.beta2);
    take(json, "eps", o.eps);
    take(json, "weightDecay", o.weightDecay);
    take(json, "maxLogitScale", o.maxLogitScale);
    take(json, "gradClipNorm", o.gradClipNorm);
    take(json, "device", o.device);
    take(json, "seed", o.seed);
    take(json, "dropLast", o.dropLast);
    take(json, "checkpointEverySteps", o.checkpointEverySteps);
    take(json, "keepCheckpoints", o.keepCheckpoints);
    take(json, "prefetchBatches", o.prefetchBatches);
    take(json, "localLoss", o.localLoss);
    take(json, "bucketMegabytes", o.bucketMegabytes);
    std::string freeze = freezeTowerName(o.freeze);
    take(json, "freeze", freeze);
    if (freeze == "none")
        o.freeze = FreezeTower::None;
    else if (freeze == "image")
        o.freeze = FreezeTower::Image;
    else if (freeze == "text")
        o.freeze = FreezeTower::Text;
    else
        bad("freeze", "must be \"none\", \"image\" or \"text\", got \"" + freeze + "\"");
    std::string precision = precisionName(o.precision);
    take(json, "precision", precision);
    if (precision == "fp32")
        o.precision = Precision::Float32;
    else if (precision == "bf16")
        o.precision = Precision::BFloat16;
    else if (precision == "fp16")
        o.precision = Precision::Float16;
    else
        bad("precision", "must be \"fp32\", \"bf16\" or \"fp16\", got \"" + precision + "\"");
    o.validate();
    return o;
}

} // namespace poisonlab::train
