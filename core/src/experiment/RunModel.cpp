#include "poisonlab/core/experiment/RunModel.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/train/TrainOptions.h"

#include "StartingModel.h"

#include <torch/torch.h>

#include <algorithm>
#include <regex>

namespace poisonlab::experiment {

namespace fs = std::filesystem;

namespace {

int epochOf(const std::string &name)
{
    static const std::regex pattern("epoch-([1-9][0-9]{0,5})");
    std::smatch m;
    return std::regex_match(name, m, pattern) ? std::stoi(m[1].str()) : 0;
}

/// The meta record of a trainer checkpoint, or null when the file is not one.
nlohmann::json checkpointMeta(torch::serialize::InputArchive &archive)
{
    c10::IValue meta;
    if (!archive.try_read("meta", meta) || !meta.isString())
        return nullptr;
    return nlohmann::json::parse(meta.toStringRef(), nullptr, false);
}

/// Loads into `model` the checkpoint written at the end of `epoch`; false when there is none.
bool loadEpochCheckpoint(const fs::path &dir, int epoch, clip::ClipModel &model)
{
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".ckpt" && entry.path().filename().string().rfind("step-", 0) == 0)
            files.push_back(entry.path());
    std::sort(files.rbegin(), files.rend());
    for (const auto &file : files) {
        torch::serialize::InputArchive archive;
        try {
            archive.load_from(file.string(), torch::kCPU);
        } catch (const std::exception &e) {
            throw Error(file, std::string("is not a readable training checkpoint: ") + e.what());
        }
        const nlohmann::json meta = checkpointMeta(archive);
        if (!meta.is_object() || meta.value("epoch", -1) != epoch || meta.value("batch", -1LL) != 0)
            continue;
        try {
            torch::serialize::InputArchive weights;
            archive.read("model", weights);
            model->load(weights);
        } catch (const std::exception &e) {
            throw Error(file, std::string("does not fit the run's model: ") + e.what());
        }
        return true;
    }
    return false;
}

RunModel finalModel(const RunDirectory &run)
{
    const fs::path file = run.path() / "model" / "final.safetensors";
    if (!fs::is_regular_file(file))
        throw Error(file, "is missing: the run has not finished training (resume it first)");
    clip::LoadedClip loaded = clip::loadClip(file);
    if (!loaded.tokenizer)
        throw Error(file, "carries no tokenizer to read queries with");
    return {loaded.model, loaded.tokenizer, file};
}

} // namespace

bool isRunModelName(const std::string &name)
{
    return name == "final" || name == "initial" || epochOf(name) > 0;
}

RunModel loadRunModel(const RunDirectory &run, const ExperimentConfig &config, const std::string &name)
{
    if (!isRunModelName(name))
        throw Error(run.path(), "has no model \"" + name + "\" (models are named final, initial or epoch-N)");
    if (name == "final")
        return finalModel(run);
    const int epoch = epochOf(name);
    const int epochs = train::TrainOptions::fromJson(config.training).epochs;
    if (epoch > epochs)
        throw Error(run.configPath(), "trains " + std::to_string(epochs) + " epoch(s); there is no " + name);
    if (epoch == epochs && fs::is_regular_file(run.path() / "model" / "final.safetensors"))
        return finalModel(run); // the last epoch's model is the final one
    StartingModel start = loadStartingModel(config);
    RunModel out{start.model, start.tokenizer, config.model.weights};
    if (epoch > 0) {
        if (!loadEpochCheckpoint(run.checkpointsDir(), epoch, out.model))
            throw Error(run.checkpointsDir(), "holds no checkpoint of the end of epoch " + std::to_string(epoch) +
                                                  " (the trainer keeps only its last few), so " + name +
                                                  " cannot embed a typed query");
        out.source = run.checkpointsDir();
    }
    out.model->eval();
    return out;
}

} // namespace poisonlab::experiment
