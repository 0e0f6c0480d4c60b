// `poisonlab-cli poison --config CONFIG --out FILE`: builds the experiment's poisoned training
// set and exports it as the paper code's JSON records, with the manifest beside it. No model.
#include "CliParsing.h"

#include "cli/InterruptGuard.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/attack/PaperJsonExport.h"
#include "poisonlab/core/experiment/AttackModel.h"
#include "poisonlab/core/experiment/ExperimentData.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

namespace poisonlab::cli {

namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> parseVars(const std::vector<std::string> &vars)
{
    std::map<std::string, std::string> out;
    for (const auto &v : vars) {
        const auto eq = v.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("--var expects NAME=VALUE, got \"" + v + "\"");
        out[v.substr(0, eq)] = v.substr(eq + 1);
    }
    return out;
}

class PoisonCommand final : public CliCommand {
public:
    std::string name() const override { return "poison"; }
    std::string summary() const override
    {
        return "build an experiment's poisoned training set and export it as the paper's JSON records";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Builds the poisoned training set an experiment config describes (datasets, split, attack\n"
                     "and goals) and writes it as the paper code's JSON records [{image, caption, image_id, label}],\n"
                     "plus a manifest of exactly which pairs changed. Needs no model (except the similarity-aware\n"
                     "attack, which embeds with the config's model).",
                     "poison");
        std::string config, out, manifest, poisonedOnly;
        std::vector<std::string> vars;
        app.add_option("--config", config, "experiment config (JSON)")->required();
        app.add_option("--out", out, "poisoned training set, paper JSON records")->required();
        app.add_option("--manifest", manifest, "manifest of the changed pairs (default: OUT with .manifest.json)");
        app.add_option("--poisoned-only", poisonedOnly, "also write only the poisoned records here");
        app.add_option("--var", vars, "NAME=VALUE for ${NAME} in the config's paths (repeatable)");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;

        experiment::ExperimentConfig cfg;
        try {
            cfg = experiment::ExperimentConfig::load(config, parseVars(vars));
        } catch (const Error &e) {
            streams.err << "poisonlab-cli poison: " << e.what() << "\n";
            return 2;
        }
        if (!cfg.attack) {
            streams.err << "poisonlab-cli poison: " << config << ": names no \"attack\"; nothing to poison\n";
            return 2;
        }
        CallbackProgress progress([&](const ProgressEvent &e) {
            if (!e.message.empty())
                streams.err << "[" << e.stage << "] " << e.message << "\n";
        });
        InterruptGuard guard(progress);
        experiment::ExperimentData data;
        try {
            // The similarity-aware attack embeds with the config's model, as a run does.
            data = experiment::prepareExperimentData(cfg, progress, experiment::attackContextFor(cfg, progress));
        } catch (const Error &e) {
            streams.err << "poisonlab-cli poison: " << e.what() << "\n";
            return 2; // bad data or attack options: nothing was written
        }
        const attack::PoisonManifest &m = *data.poison;
        const fs::path outPath = out;
        const fs::path manifestPath =
            manifest.empty() ? fs::path(outPath).replace_extension(".manifest.json") : fs::path(manifest);
        attack::exportPaperJson(outPath, *data.dataset, m.split);
        if (!poisonedOnly.empty())
            attack::exportPaperJson(poisonedOnly, *data.dataset, m.split, true);
        nlohmann::json mj = m.toJson();
        mj["datasets"] = nlohmann::json::array();
        for (const auto &r : data.records)
            mj["datasets"].push_back({{"name", r.name}, {"checksum", r.checksum}});
        writeJsonAtomically(manifestPath, mj);

        char phi[64];
        std::snprintf(phi, sizeof phi, "%.4f%%", 100.0 * m.phi());
        streams.err << "poisoned " << m.poisonedPairs << " of " << m.trainingPairs << " training pairs (" << m.attack
                    << ", rate " << m.rate << " of each source class's " << m.unit << "s; phi = " << phi << ")\n";
        nlohmann::json summary = {{"attack", m.attack},
                                  {"rate", m.rate},
                                  {"phi", m.phi()},
                                  {"training_pairs", m.trainingPairs},
                                  {"poisoned_pairs", m.poisonedPairs},
                                  {"goals", mj["goals"]},
                                  {"out", fs::absolute(outPath).string()},
                                  {"manifest", fs::absolute(manifestPath).string()}};
        streams.out << summary.dump(2) << "\n";
        return 0;
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::PoisonCommand;
POISONLAB_REGISTER_CLI_COMMAND(PoisonCommand)
