#include "poisonlab/core/experiment/DemoPretraining.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/attack/PoisonSampling.h"
#include "poisonlab/core/clip/BpeTrainer.h"
#include "poisonlab/core/clip/ClipBpeTokenizer.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/experiment/DatasetChecksum.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/plugin/DatasetOpening.h"
#include "poisonlab/core/train/DatasetImageSource.h"
#include "poisonlab/core/train/Trainer.h"

#include <torch/torch.h>

#include <cstdio>
#include <ostream>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string shortHash(const std::string &text)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

data::Dataset corpus(const fs::path &dataDir, long long maxImages, std::uint64_t seed, ProgressReporter &progress)
{
    data::Dataset merged;
    std::error_code ec;
    auto add = [&](const data::Dataset &d, bool trainOnly) {
        std::vector<char> keep(d.images.size(), 1);
        if (trainOnly)
            for (size_t i = 0; i < d.images.size(); ++i)
                keep[i] = d.images[i].split == data::Split::Train || d.images[i].split == data::Split::None;
        appendDataset(merged, d, keep);
    };
    if (fs::is_directory(dataDir / "web", ec)) {
        add(plugin::openDataset({"csv", dataDir / "web", {}, json::object()}, progress), false);
    } else {
        // No Emoji-Web: PASCAL and COCO stand in (their test images stay unseen only roughly:
        // PASCAL has no own splits, so this is said in the log).
        add(plugin::openDataset({"coco", dataDir / "coco", {}, json::object()}, progress), true);
    }
    for (auto &img : merged.images) {
        img.split = data::Split::Train;
        img.label = -1;
    }
    if (maxImages > 0 && static_cast<long long>(merged.images.size()) > maxImages) {
        Rng rng(seed);
        std::vector<char> keep(merged.images.size(), 0);
        for (size_t i : attack::sampleWithoutReplacement(merged.images.size(), static_cast<size_t>(maxImages), rng))
            keep[i] = 1;
        data::Dataset cut;
        appendDataset(cut, merged, keep);
        cut.name = "demo-pretraining";
        return cut;
    }
    merged.name = "demo-pretraining";
    return merged;
}

} // namespace

fs::path ensureDemoModel(const fs::path &dataDir, const json &recipe, const fs::path &cacheRoot,
                         ProgressReporter &progress, std::ostream &log)
{
    const std::string architecture = recipe.value("architecture", "demo-tiny");
    const int contextLength = recipe.value("context_length", 32);
    const long long vocabSize = recipe.value("vocab_size", 2048LL);
    const long long maxImages = recipe.value("max_images", 0LL);
    train::TrainOptions options = train::TrainOptions::fromJson(recipe.value("training", json::object()));

    progress.report({"pretrain", 0, 0, "reading the pre-training corpus", {}});
    auto data = std::make_shared<data::Dataset>(corpus(dataDir, maxImages, options.seed, progress));
    const std::string key = shortHash(recipe.dump() + datasetChecksum(*data));
    const fs::path dir = cacheRoot / ("demo-clip-" + key);
    const fs::path weights = dir / "clip.safetensors";
    std::error_code ec;
    if (fs::is_regular_file(clip::sidecarPath(weights), ec)) {
        log << "demo CLIP: reusing the pre-trained model in " << dir.string() << "\n";
        return weights;
    }
    log << "demo CLIP: pre-training " << architecture << " on " << data->captions.size() << " captions of "
        << data->images.size() << " images (cached in " << dir.string() << " for later runs)\n";

    std::vector<std::string> texts;
    for (const auto &c : data->captions)
        texts.push_back(c.text);
    clip::BpeTrainer bpe(clip::BpeTrainerOptions{vocabSize, 2});
    bpe.addTexts(texts);
    std::shared_ptr<clip::ClipBpeTokenizer> tokenizer = bpe.train(&progress);

    clip::ClipConfig cfg = clip::ClipConfig::preset(architecture);
    cfg.contextLength = contextLength;
    cfg.vocabSize = static_cast<int>(tokenizer->vocabSize());
    torch::manual_seed(options.seed);
    clip::ClipModel model(cfg);
    model->reset_parameters();

    std::vector<int> captions(data->captions.size());
    for (size_t i = 0; i < captions.size(); ++i)
        captions[i] = static_cast<int>(i);
    auto tok = tokenizer;
    train::TrainingPairs pairs = train::makeTrainingPairs(
        *data, captions, [tok](const std::vector<std::string> &t, int L) { return tok->tokenizeBatch(t, L); },
        contextLength);
    auto images = std::make_shared<train::DatasetImageSource>(
        data, cfg.imageResolution, std::size_t(512) << 20,
        // Beside the models folder: userDataDir()/cache/images, as the experiment runner uses.
        train::DatasetImageSource::openDiskCache(cacheRoot.parent_path() / "cache" / "images", cfg.imageResolution));
    train::Trainer trainer(model, std::move(pairs), images, options);
    const fs::path checkpoints = dir / "checkpoints";
    if (train::Trainer::hasCheckpoint(checkpoints)) {
        trainer.resume(checkpoints);
        log << "demo CLIP: resuming the pre-training from step " << trainer.resumedFromStep() << "\n";
    } else {
        trainer.setCheckpointDir(checkpoints);
    }
    const train::TrainSummary summary = trainer.run(progress);
    clip::saveClip(
        weights, trainer.model(), tokenizer.get(),
        {{"demo_pretraining", recipe},
         {"corpus",
          {{"images", data->images.size()}, {"captions", data->captions.size()}, {"checksum", datasetChecksum(*data)}}},
         {"final_loss", summary.epochLosses.empty() ? 0.0 : summary.epochLosses.back()}});
    fs::remove_all(checkpoints, ec);
    log << "demo CLIP: pre-trained in " << static_cast<int>(summary.seconds) << " s\n";
    return weights;
}

} // namespace poisonlab::experiment
