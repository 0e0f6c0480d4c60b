// `poisonlab-cli defend`: a post-training defense on a run that already finished.
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/attack/LabelSwapAttack.h"
#include "poisonlab/core/experiment/DefenseStage.h"
#include "poisonlab/core/experiment/EvaluationGoals.h"

#include "RunAnalysisInputs.h"

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

json defendRun(const fs::path &runDir, const json &defenses, const fs::path &defensesFile, const fs::path &outDir,
               const std::string &device, ProgressReporter &progress)
{
    RunDirectory run = RunDirectory::open(runDir);
    const fs::path manifestFile = run.poisonDir() / "manifest.json";
    const fs::path modelFile = run.path() / "model" / "final.safetensors";
    if (!fs::is_regular_file(manifestFile))
        throw Error(runDir, "has no poison/manifest.json: it is not a poisoned run, so there is no poisoned model "
                            "to defend");
    if (!fs::is_regular_file(modelFile))
        throw Error(runDir, "has no model/final.safetensors: the run has not finished training (resume it first)");

    // The defense file: {"defenses": [...]} or one {"plugin", "options"}.
    const fs::path where = defensesFile.empty() ? fs::path("defense config") : defensesFile;
    if (!defenses.is_object())
        throw Error(where, "must be a JSON object: {\"defenses\": [{\"plugin\": id, \"options\": {...}}]}");
    json list;
    if (defenses.contains("defenses")) {
        for (const auto &[key, value] : defenses.items())
            if (key != "defenses" && key != "comment")
                throw Error(where, "unknown key \"" + key + "\" (known here: defenses comment)");
        list = defenses["defenses"];
    } else
        list = json::array({defenses});
    json configJson = run.config();
    configJson["defenses"] = list;
    if (!device.empty())
        configJson["training"]["device"] = device;
    // Paths in the resolved config are absolute, so the defense file may anchor the messages.
    ExperimentConfig config = ExperimentConfig::fromJson(configJson, where);
    DefenseStage stage(config);
    if (stage.hasPreTraining())
        throw Error(where, "a pre-training defense changes the training set, so it needs a new run: add it to the "
                           "experiment config's \"defenses\" and use `poisonlab-cli run`");
    if (!stage.hasPostTraining())
        throw Error(where, "names no post-training defense");
    if (!config.attack)
        throw Error(runDir, "its config names no attack: there is no poisoned model to defend");
    const attack::PoisonManifest manifest = attack::PoisonManifest::fromJson(readJsonFile(manifestFile), manifestFile);

    // The run's data: the clean datasets as the run read them, with the manifest's pairs applied.
    ExperimentData data = runCleanData(run, config, progress, "the poisoned pairs cannot be applied again");
    for (const auto &p : manifest.pairs) {
        if (p.caption < 0 || static_cast<size_t>(p.caption) >= data.dataset->captions.size() ||
            data.dataset->captions[p.caption].text != p.text || p.newImage < 0 ||
            static_cast<size_t>(p.newImage) >= data.dataset->images.size())
            throw Error(manifestFile, "does not match the run's data (caption " + std::to_string(p.caption) + ")");
        data::CaptionRecord &cap = data.dataset->captions[p.caption];
        cap.image = p.newImage;
        cap.poisoned = true;
        cap.originalImage = p.originalImage;
    }
    const std::optional<attack::PoisonManifest> m = manifest;

    json evalJson = config.evalOptions;
    if (!device.empty())
        evalJson["device"] = device;
    const PostTrainingInputs in{config,
                                modelFile,
                                galleriesOf(data),
                                evaluationGoals(config, m, *data.evalDataset),
                                eval::EvalOptions::fromJson(evalJson),
                                train::TrainOptions::fromJson(config.training),
                                outDir.empty() ? run.resultsDir() / "defense" : outDir,
                                outDir.empty() ? &run : nullptr};
    run.log("defend: " + config.defenses.front().plugin +
            (outDir.empty() ? "" : " (results in " + outDir.string() + ")"));
    return stage.postTrain(in, progress);
}

} // namespace poisonlab::experiment
