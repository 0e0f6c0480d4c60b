#include "RunAnalysisInputs.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/experiment/ExperimentData.h"

namespace poisonlab::experiment {

namespace fs = std::filesystem;

void checkDatasetsUnchanged(const RunDirectory &run, const std::vector<DatasetRecord> &now,
                            const std::string &consequence)
{
    for (const auto &old : run.manifest().datasets)
        for (const auto &read : now)
            if (old.name == read.name && old.checksum != read.checksum)
                throw Error(run.path(), "dataset \"" + old.name + "\" changed since the run (checksum " + old.checksum +
                                            ", now " + read.checksum + "); " + consequence);
}

ExperimentData runCleanData(const RunDirectory &run, const ExperimentConfig &config, ProgressReporter &progress,
                            const std::string &consequence)
{
    ExperimentConfig clean = config;
    clean.attack.reset();
    ExperimentData data = prepareExperimentData(clean, progress);
    checkDatasetsUnchanged(run, data.records, consequence);
    return data;
}

std::shared_ptr<data::Dataset> runTrainingSet(const RunDirectory &run, const ExperimentConfig &config,
                                              ProgressReporter &progress)
{
    ExperimentData data = runCleanData(run, config, progress, "its training set cannot be read again");
    if (!config.attack)
        return data.dataset;
    const fs::path manifestPath = run.poisonDir() / "manifest.json";
    if (!fs::is_regular_file(manifestPath))
        throw Error(manifestPath, "is missing; the run's config names an attack, so its poisoned pairs are needed");
    const auto manifest = attack::PoisonManifest::fromJson(readJsonFile(manifestPath), manifestPath);
    auto &ds = *data.dataset;
    for (std::size_t i = 0; i < manifest.pairs.size(); ++i) {
        const auto &p = manifest.pairs[i];
        if (p.caption < 0 || std::size_t(p.caption) >= ds.captions.size() ||
            ds.captions[std::size_t(p.caption)].text != p.text || p.newImage < 0 ||
            std::size_t(p.newImage) >= ds.images.size())
            throw Error(manifestPath, "pair " + std::to_string(i) + " (caption " + std::to_string(p.caption) + ", \"" +
                                          p.text + "\") does not match the datasets as read now");
        auto &c = ds.captions[std::size_t(p.caption)];
        c.originalImage = c.image;
        c.image = p.newImage;
        c.poisoned = true;
    }
    return data.dataset;
}

void checkSameRows(const eval::EvaluationRecord &a, const eval::EvaluationRecord &b)
{
    auto mismatch = [&](const std::string &what) {
        throw Error(b.dir / "index.json",
                    "does not describe the same test rows as " + (a.dir / "index.json").string() + ": " + what);
    };
    const auto &ia = a.index["images"], &ib = b.index["images"];
    const auto &ca = a.index["captions"], &cb = b.index["captions"];
    if (ia.size() != ib.size() || ca.size() != cb.size())
        mismatch(std::to_string(ib.size()) + " images and " + std::to_string(cb.size()) + " captions against " +
                 std::to_string(ia.size()) + " and " + std::to_string(ca.size()));
    for (std::size_t r = 0; r < ia.size(); ++r)
        if (ia[r].value("path", "") != ib[r].value("path", ""))
            mismatch("image row " + std::to_string(r) + " is " + ib[r].value("path", "") + " there, " +
                     ia[r].value("path", "") + " here");
    for (std::size_t r = 0; r < ca.size(); ++r)
        if (ca[r].value("text", "") != cb[r].value("text", ""))
            mismatch("caption row " + std::to_string(r) + " differs (\"" + cb[r].value("text", "") + "\" against \"" +
                     ca[r].value("text", "") + "\")");
}

} // namespace poisonlab::experiment
