#include "TrainCheckpoint.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <torch/torch.h>
#include <zlib.h>

#include <cstdio>
#include <mutex>
#include <sstream>

namespace poisonlab::train {

namespace {

constexpr const char *kFormat = "poisonlab-train-checkpoint";
constexpr int kVersion = 1;

/// Options whose change would alter the numbers of a resumed run.
const std::vector<std::string> &numericKeys()
{
    static const std::vector<std::string> keys = {"epochs",      "batchSize",     "learningRate", "minLearningRate",
                                                  "warmupSteps", "beta1",         "beta2",        "eps",
                                                  "weightDecay", "maxLogitScale", "gradClipNorm", "freeze",
                                                  "seed",        "dropLast",      "localLoss",    "precision"};
    return keys;
}

nlohmann::json parameterShapes(torch::nn::Module &model)
{
    nlohmann::json shapes = nlohmann::json::object();
    for (const auto &item : model.named_parameters(true))
        shapes[item.key()] = item.value().sizes().vec();
    for (const auto &item : model.named_buffers(true))
        shapes[item.key()] = item.value().sizes().vec();
    return shapes;
}

/// The checksum written beside a checkpoint: step-N.ckpt -> step-N.ckpt.sum.json.
std::filesystem::path checksumFile(const std::filesystem::path &checkpoint)
{
    std::filesystem::path out = checkpoint;
    out += ".sum.json";
    return out;
}

std::string crc32Hex(const std::string &bytes)
{
    uLong crc = ::crc32(0L, Z_NULL, 0);
    // zlib takes at most uInt bytes at a time.
    for (std::size_t at = 0; at < bytes.size(); at += std::size_t(1) << 30) {
        const std::size_t n = std::min(bytes.size() - at, std::size_t(1) << 30);
        crc = ::crc32(crc, reinterpret_cast<const Bytef *>(bytes.data() + at), uInt(n));
    }
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08lx", static_cast<unsigned long>(crc));
    return hex;
}

std::string stepFileName(long long step)
{
    char name[64];
    std::snprintf(name, sizeof name, "step-%010lld.ckpt", step);
    return name;
}

} // namespace

std::filesystem::path writeCheckpoint(const std::filesystem::path &dir, torch::nn::Module &model,
                                      torch::optim::Optimizer &optimizer, const CheckpointState &state,
                                      const TrainOptions &options, std::size_t pairs, int keep)
{
    namespace fs = std::filesystem;
    nlohmann::json meta = {{"format", kFormat},
                           {"version", kVersion},
                           {"epoch", state.epoch},
                           {"batch", state.batch},
                           {"global_step", state.globalStep},
                           {"epoch_loss_sum", state.epochLossSum},
                           {"epoch_loss_count", state.epochLossCount},
                           {"loss_scale", state.lossScale},
                           {"good_steps", state.goodSteps},
                           {"pairs", pairs},
                           {"world_size", state.worldSize},
                           {"options", options.toJson()},
                           {"parameters", parameterShapes(model)}};
    torch::serialize::OutputArchive archive;
    {
        torch::serialize::OutputArchive modelArchive;
        model.save(modelArchive);
        archive.write("model", modelArchive);
    }
    {
        torch::serialize::OutputArchive optimArchive;
        optimizer.save(optimArchive);
        archive.write("optimizer", optimArchive);
    }
    {
        auto gen = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(gen.mutex());
        archive.write("torch_cpu_rng", gen.get_state());
    }
    std::vector<int64_t> order(state.order.begin(), state.order.end());
    archive.write("order", torch::tensor(order, torch::kInt64));
    archive.write("meta", c10::IValue(meta.dump()));

    std::ostringstream stream;
    archive.save_to(stream);
    const std::string bytes = stream.str();
    const fs::path file = dir / stepFileName(state.globalStep);
    try {
        writeFileAtomically(file, bytes);
        writeJsonAtomically(
            checksumFile(file),
            {{"format", "poisonlab-checkpoint-checksum"}, {"bytes", bytes.size()}, {"crc32", crc32Hex(bytes)}});
        writeJsonAtomically(dir / "latest.json", {{"file", file.filename().string()},
                                                  {"global_step", state.globalStep},
                                                  {"epoch", state.epoch},
                                                  {"batch", state.batch}});
    } catch (const Error &e) {
        // The old files are untouched (each write goes to a temporary file renamed at the end).
        const fs::path previous = latestCheckpointFile(dir);
        throw Error(std::string(e.what()) + "; " +
                    (previous.empty() || previous == file ? std::string("no earlier checkpoint exists")
                                                          : "the previous checkpoint " + previous.filename().string() +
                                                                " is intact and `resume` continues from it"));
    }

    // Keep the newest `keep` checkpoints (names sort by step).
    std::vector<fs::path> old;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (name.rfind("step-", 0) == 0 && entry.path().extension() == ".ckpt")
            old.push_back(entry.path());
    }
    std::sort(old.begin(), old.end());
    for (std::size_t i = 0; i + std::size_t(std::max(1, keep)) < old.size(); ++i)
        if (old[i] != file) {
            fs::remove(old[i], ec);
            fs::remove(checksumFile(old[i]), ec);
        }
    return file;
}

std::vector<std::filesystem::path> checkpointCandidates(const std::filesystem::path &dir)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> steps;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (name.rfind("step-", 0) == 0 && entry.path().extension() == ".ckpt" && entry.is_regular_file(ec) &&
            resolvesInside(dir, entry.path())) // not a symbolic link to a file elsewhere
            steps.push_back(entry.path());
    }
    std::sort(steps.rbegin(), steps.rend()); // zero-padded step numbers: newest first
    const fs::path latest = latestCheckpointFile(dir);
    std::vector<fs::path> out;
    if (!latest.empty())
        out.push_back(latest);
    for (const auto &f : steps)
        if (f != latest)
            out.push_back(f);
    return out;
}

std::optional<std::string> checkpointDamage(const std::filesystem::path &file)
{
    std::error_code ec;
    if (!std::filesystem::exists(checksumFile(file), ec))
        return std::nullopt; // written before checksums
    nlohmann::json sum;
    std::string bytes;
    try {
        sum = readJsonFile(checksumFile(file));
        bytes = readFile(file);
    } catch (const Error &e) {
        return std::string(e.what());
    }
    if (sum.value("bytes", std::size_t(0)) != bytes.size())
        return "holds " + std::to_string(bytes.size()) + " bytes, " + std::to_string(sum.value("bytes", 0)) +
               " were written";
    if (sum.value("crc32", std::string()) != crc32Hex(bytes))
        return "its CRC-32 is " + crc32Hex(bytes) + ", " + sum.value("crc32", std::string()) + " was written";
    return std::nullopt;
}

std::filesystem::path latestCheckpointFile(const std::filesystem::path &dir)
{
    const auto pointer = dir / "latest.json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(pointer, ec))
        return {};
    std::string named;
    try {
        named = readJsonFile(pointer).at("file").get<std::string>();
    } catch (const std::exception &) {
        return {}; // an unreadable pointer: the step files are scanned instead
    }
    // The pointer may name only a file of this folder: a run folder from a stranger must not make
    // resume read, or set aside as damaged, a file elsewhere.
    if (const auto problem = pathEscapeProblem(dir, named, true, {"checkpoint file", "the checkpoints folder"})) {
        spdlog::warn("{}: \"{}\" ignored: {}", pointer.string(), named, *problem);
        return {};
    }
    const auto file = dir / named;
    return std::filesystem::is_regular_file(file, ec) ? file : std::filesystem::path();
}

CheckpointState readCheckpoint(const std::filesystem::path &file, torch::nn::Module &model,
                               torch::optim::Optimizer &optimizer, const TrainOptions &options, std::size_t pairs,
                               long long batchesPerEpoch, const torch::Device &device, bool allowPrecisionChange)
{
    torch::serialize::InputArchive archive;
    nlohmann::json meta;
    try {
        archive.load_from(file.string(), device);
        c10::IValue metaValue;
        if (!archive.try_read("meta", metaValue) || !metaValue.isString())
            throw Error(file, "is not a PoisonLab training checkpoint (no meta record)");
        meta = nlohmann::json::parse(metaValue.toStringRef());
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) {
        throw Error(file, std::string("is not a readable training checkpoint: ") + e.what());
    }
    if (meta.value("format", "") != kFormat || meta.value("version", 0) != kVersion)
        throw Error(file, "is not a version-1 PoisonLab training checkpoint");

    if (meta.value("pairs", std::size_t(0)) != pairs)
        throw Error(file, "was written for a training set of " + std::to_string(meta.value("pairs", 0)) +
                              " pairs, this run has " + std::to_string(pairs));
    const nlohmann::json saved = meta.at("options");
    const nlohmann::json now = options.toJson();
    const nlohmann::json defaults = TrainOptions{}.toJson(); // for keys older checkpoints lack
    std::string differing;
    for (const auto &key : numericKeys())
        if (saved.value(key, defaults.at(key)) != now.at(key) && !(allowPrecisionChange && key == "precision"))
            differing += (differing.empty() ? "" : ", ") + key + " (checkpoint " +
                         saved.value(key, defaults.at(key)).dump() + ", now " + now.at(key).dump() + ")";
    if (!differing.empty())
        throw Error(file, "was written with other training options: " + differing +
                              (differing.find("precision") != std::string::npos
                                   ? "; to continue in another precision anyway, resume with --allow-precision-change"
                                   : ""));

    const nlohmann::json shapes = parameterShapes(model);
    if (meta.at("parameters") != shapes) {
        std::string what;
        for (auto it = shapes.begin(); it != shapes.end() && what.empty(); ++it) {
            auto other = meta.at("parameters").find(it.key());
            if (other == meta.at("parameters").end())
                what = "it lacks " + it.key();
            else if (*other != *it)
                what = it.key() + " has shape " + other->dump() + ", the model " + it->dump();
        }
        if (what.empty())
            what = "it holds tensors the model does not have";
        throw Error(file, "is a checkpoint of another model: " + what);
    }

    CheckpointState state;
    state.epoch = meta.at("epoch").get<int>();
    state.batch = meta.at("batch").get<long long>();
    state.globalStep = meta.at("global_step").get<long long>();
    state.epochLossSum = meta.at("epoch_loss_sum").get<double>();
    state.epochLossCount = meta.at("epoch_loss_count").get<long long>();
    state.lossScale = meta.value("loss_scale", 65536.0);
    state.goodSteps = meta.value("good_steps", 0LL);
    state.worldSize = meta.value("world_size", 1);
    if (state.epoch < 0 || state.batch < 0 || state.batch > batchesPerEpoch ||
        state.globalStep != (long long)state.epoch * batchesPerEpoch + state.batch)
        throw Error(file, "holds an inconsistent position (epoch " + std::to_string(state.epoch) + ", batch " +
                              std::to_string(state.batch) + ", step " + std::to_string(state.globalStep) + ")");
    try {
        torch::serialize::InputArchive modelArchive, optimArchive;
        archive.read("model", modelArchive);
        archive.read("optimizer", optimArchive);
        model.load(modelArchive);
        optimizer.load(optimArchive);
        torch::Tensor rng, order;
        archive.read("torch_cpu_rng", rng);
        archive.read("order", order);
        {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            gen.set_state(rng.to(torch::kCPU));
        }
        order = order.to(torch::kCPU).to(torch::kInt64).contiguous();
        const int64_t *p = order.data_ptr<int64_t>();
        state.order.assign(p, p + order.numel());
    } catch (const std::exception &e) {
        throw Error(file, std::string("could not be loaded: ") + e.what());
    }
    if (!state.order.empty() && state.order.size() != pairs)
        throw Error(file, "holds a data order of " + std::to_string(state.order.size()) + " pairs, expected " +
                              std::to_string(pairs));
    return state;
}

} // namespace poisonlab::train
